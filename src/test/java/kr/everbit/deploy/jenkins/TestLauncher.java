package kr.everbit.deploy.jenkins;

import hudson.EnvVars;
import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double of the launcher of a build agent (Jenkins' RemoteLauncher, which runs a LocalLauncher on the agent),
 * starting real local processes for the offline tests. It does what the real one does with a ProcStarter:
 * <ul>
 * <li>the environment is this JVM's, overridden as {@code EnvVars.overrideExpandingAll} does ({@code $VAR}
 * expanded, a variable with an empty value removed), and {@code $VAR} in each argument is expanded with it;</li>
 * <li>a stream the starter left null is pumped by the caller through the Proc (readStdout, readStderr, writeStdin);
 * stderr without a destination of its own joins stdout;</li>
 * <li>launching on an interrupted thread fails with an InterruptedIOException, as the agent's channel does;</li>
 * <li>{@code join()} on an interrupted thread, or interrupted while it waits, ends the process and its children and
 * throws InterruptedException (Proc.LocalProc); {@code kill()} ends them and waits.</li>
 * </ul>
 * Every argv is recorded, so a test can check that no secret was on a command line. {@link #kill(Map)} is the
 * node's process killer ({@code ProcessTree.killAll(modelEnvVars)} on the agent), which a {@code node {}} block
 * runs with its {@code JENKINS_NODE_COOKIE} when it ends (see {@link TestStepContext}).
 */
final class TestLauncher extends Launcher {
    final List<List<String>> commands = new CopyOnWriteArrayList<>();

    TestLauncher(TaskListener listener) {
        super(listener, null);
    }

    @Override
    public Proc launch(ProcStarter starter) throws IOException {
        if (Thread.interrupted()) {
            throw new InterruptedIOException("interrupted while launching " + starter.cmds().get(0));
        }
        commands.add(List.copyOf(starter.cmds()));
        EnvVars env = new EnvVars(System.getenv());
        Map<String, String> overrides = new HashMap<>();
        for (String kv : starter.envs()) {
            int eq = kv.indexOf('=');
            overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        env.overrideExpandingAll(overrides);
        List<String> argv = new ArrayList<>();
        for (String arg : starter.cmds()) {
            argv.add(env.expand(arg));
        }
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(env);
        if (starter.pwd() != null) {
            builder.directory(new File(starter.pwd().getRemote()));
        }
        boolean callerReads = starter.stdout() == null;
        if (!callerReads && starter.stderr() == null) {
            builder.redirectErrorStream(true);
        }
        Process process = builder.start();
        List<Thread> pumps = new ArrayList<>();
        if (starter.stdin() != null) {
            pumps.add(pump(starter.stdin(), process.getOutputStream(), true));
        }
        if (!callerReads) {
            pumps.add(pump(process.getInputStream(), starter.stdout(), false));
            if (starter.stderr() != null) {
                pumps.add(pump(process.getErrorStream(), starter.stderr(), false));
            }
        }
        return new LocalProcess(process, pumps);
    }

    /**
     * Ends (SIGTERM, as ProcessTree's first signal) every process of this machine whose environment holds all of
     * {@code modelEnvVars}, with its descendants, as the real killer does by reading each process's environment.
     */
    @Override
    public void kill(Map<String, String> modelEnvVars) throws IOException {
        List<String> wanted = modelEnvVars.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                List<String> environ;
                try {
                    environ = List.of(new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8).split("\0"));
                } catch (IOException e) {
                    continue; // ended while we looked
                }
                if (environ.containsAll(wanted)) {
                    ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(p -> {
                        p.descendants().forEach(ProcessHandle::destroy);
                        p.destroy();
                    });
                }
            }
        }
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeTarget) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
                if (closeTarget) {
                    to.close();
                }
            } catch (IOException e) {
                // The process ended or closed the stream; its exit code says the rest.
            }
        }, "test-launcher-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static final class LocalProcess extends Proc {
        private final Process process;
        private final List<Thread> pumps;

        LocalProcess(Process process, List<Thread> pumps) {
            this.process = process;
            this.pumps = pumps;
        }

        @Override
        public void kill() throws InterruptedException {
            destroy();
            join();
        }

        @Override
        public int join() throws InterruptedException {
            try {
                int code = process.waitFor();
                for (Thread pump : pumps) {
                    pump.join(10_000);
                }
                return code;
            } catch (InterruptedException e) {
                destroy();
                throw e;
            }
        }

        private void destroy() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }

        @Override
        public InputStream getStdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream getStderr() {
            return process.getErrorStream();
        }

        @Override
        public OutputStream getStdin() {
            return process.getOutputStream();
        }
    }
}
