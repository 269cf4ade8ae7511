package kr.everbit.deploy.engine.remote;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compose files a switch records and verify reads back, through a real sh, with names that need quoting. */
class RecordedComposeUnitTest {
    static final List<String> FILES = List.of("docker/compose.yaml", "docker/it's $(id) `id`.yaml");

    @TempDir
    Path dir;

    /** A local sh in {@code in} with the library loaded, as the VM's subshell for {@link RemoteShell#run}. */
    private static ShellResult sh(String script, Path in) {
        try {
            Process sh = new ProcessBuilder("sh", "-c", RemoteLibrary.load() + "\n" + script).directory(in.toFile()).redirectErrorStream(true).start();
            List<String> lines = new String(sh.getInputStream().readAllBytes(), UTF_8).lines().toList();
            return new ShellResult(sh.waitFor(), lines);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRecordedFilesReadBackAsTheyWereInOrder() throws Exception {
        Path deployDir = Files.createDirectories(dir.resolve("app dir"));
        ComposeProject project = new ComposeProject(deployDir.toString(), FILES, "server", ImageRef.of("ghcr.io/everbit/server"));

        // The session's values, as openProject gives them.
        String configure = kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", "ghcr.io/everbit/server",
                String.join("\n", FILES));
        assertThat(sh(configure + "\n" + RecordedCompose.record(project).body(), deployDir).exitCode()).isZero();

        assertThat(RecordedCompose.files(script -> sh(script.body(), dir), deployDir.toString())).isEqualTo(FILES);
        assertThat(Files.list(deployDir.resolve(ComposeProject.STATE_DIR))).extracting(p -> p.getFileName().toString())
                .containsExactly("compose-files");
    }

    @Test
    void nothingRecordedOrNoDeployDirIsSaidPlainly() {
        RemoteShell shell = script -> sh(script.body(), dir);

        assertThatThrownBy(() -> RecordedCompose.files(shell, dir.toString()))
                .hasMessage("no compose files recorded in " + dir + "/" + RecordedCompose.FILE
                        + " (up, deploy and rollback record them): give {compose}, the files of the deploy, in order");
        assertThatThrownBy(() -> RecordedCompose.files(shell, dir + "/gone"))
                .hasMessage("deploy dir " + dir + "/gone does not exist on the VM");
    }

    @Test
    void bothScriptsAreValidShellWithHostileValues() throws Exception {
        ComposeProject project = new ComposeProject("~/it's $(id)", FILES, "server", ImageRef.of("ghcr.io/everbit/server"));
        for (RemoteScript script : List.of(RecordedCompose.record(project), RecordedCompose.read(project.dir()))) {
            Process sh = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
            sh.getOutputStream().write(script.body().getBytes(UTF_8));
            sh.getOutputStream().close();
            String said = new String(sh.getInputStream().readAllBytes(), UTF_8);
            assertThat(sh.waitFor()).as(script.label() + ": " + said).isZero();
        }
    }
}
