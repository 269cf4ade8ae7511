package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * API shim (compile-only, never packaged): real signatures of hudson.FilePath. The members work on local files
 * only, so that the offline tests can drive the steps; real Jenkins runs them on the agent that owns the path.
 */
public final class FilePath {
    private final File file;

    public FilePath(File localPath) {
        this.file = localPath;
    }

    public FilePath(VirtualChannel channel, String remote) {
        this.file = new File(remote);
    }

    public VirtualChannel getChannel() {
        return null;
    }

    public String getRemote() {
        return file.getPath();
    }

    public String getName() {
        return file.getName();
    }

    public FilePath sibling(String rel) {
        return new FilePath(new File(file.getParentFile(), rel));
    }

    public void mkdirs() throws IOException, InterruptedException {
        Files.createDirectories(file.toPath());
    }

    public FilePath createTextTempFile(String prefix, String suffix, String contents, boolean inThisDirectory)
            throws IOException, InterruptedException {
        File created = File.createTempFile(prefix, suffix, inThisDirectory ? file : null);
        Files.writeString(created.toPath(), contents, StandardCharsets.UTF_8);
        return new FilePath(created);
    }

    public boolean delete() throws IOException, InterruptedException {
        return Files.deleteIfExists(file.toPath());
    }
}
