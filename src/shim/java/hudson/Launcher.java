package hudson;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * API shim (compile-only, never packaged): real signatures of hudson.Launcher. {@link ProcStarter} keeps what it
 * is told with the real defaults (stdout discarded, stdin empty, stderr merged into stdout; {@code readStdout()}
 * and {@code writeStdin()} null the streams the caller will pump itself), so a test Launcher can start processes.
 */
public abstract class Launcher {
    protected final TaskListener listener;

    protected Launcher(TaskListener listener, VirtualChannel channel) {
        this.listener = listener;
    }

    public TaskListener getListener() {
        return listener;
    }

    public final ProcStarter launch() {
        return new ProcStarter();
    }

    public abstract Proc launch(ProcStarter starter) throws IOException;

    /** Ends every process whose environment holds all of {@code modelEnvVars} (a node block's cookie). */
    public abstract void kill(Map<String, String> modelEnvVars) throws IOException, InterruptedException;

    public final class ProcStarter {
        private List<String> commands = new ArrayList<>();
        private String[] envs = new String[0];
        private FilePath pwd;
        private InputStream stdin = InputStream.nullInputStream();
        private OutputStream stdout = OutputStream.nullOutputStream();
        private OutputStream stderr;
        private boolean quiet;

        public ProcStarter cmds(List<String> args) {
            commands = new ArrayList<>(args);
            return this;
        }

        public List<String> cmds() {
            return commands;
        }

        public ProcStarter envs(Map<String, String> overrides) {
            envs = overrides.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            return this;
        }

        public String[] envs() {
            return envs.clone();
        }

        public ProcStarter pwd(FilePath workDir) {
            pwd = workDir;
            return this;
        }

        public FilePath pwd() {
            return pwd;
        }

        public ProcStarter quiet(boolean quiet) {
            this.quiet = quiet;
            return this;
        }

        public boolean quiet() {
            return quiet;
        }

        public ProcStarter stdin(InputStream in) {
            stdin = in;
            return this;
        }

        public InputStream stdin() {
            return stdin;
        }

        public ProcStarter stdout(OutputStream out) {
            stdout = out;
            return this;
        }

        public OutputStream stdout() {
            return stdout;
        }

        public ProcStarter stderr(OutputStream err) {
            stderr = err;
            return this;
        }

        public OutputStream stderr() {
            return stderr;
        }

        public ProcStarter readStdout() {
            stdout = null;
            stderr = null;
            return this;
        }

        public ProcStarter readStderr() {
            return this;
        }

        public ProcStarter writeStdin() {
            stdin = null;
            return this;
        }

        public Proc start() throws IOException {
            return launch(this);
        }

        public int join() throws IOException, InterruptedException {
            return start().join();
        }
    }
}
