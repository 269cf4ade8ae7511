package kr.everbit.deploy.jenkins;

import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.ProcessFailedException;
import kr.everbit.deploy.engine.exec.Result;
import kr.everbit.deploy.engine.exec.RunningProcess;

/**
 * Runs the engine's processes through the step's {@link Launcher}, so that docker, ssh and ssh-agent run on the
 * build agent (in the workspace, with the step's environment less the node's cookie), never in the controller. A secret reaches a
 * process only as its stdin; argv and environment carry none.
 */
public final class LauncherExecutor implements Executor {
    /**
     * The {@code node {}} block's mark: when the block ends (at once after an abort, since {@code stop()} ends the
     * step before its thread has cleaned up), Jenkins kills every process on the agent whose environment carries it.
     * The step's processes go without it, so the cleanup (docker logout, removing the docker config that holds the
     * registry token, ssh-agent -k) runs to its end; the step ends its own processes itself (Proc.join on an
     * interrupted thread, {@code Cleanup}).
     */
    static final String NODE_COOKIE = "JENKINS_NODE_COOKIE";
    private final Launcher launcher;
    private final FilePath workspace;
    private final Map<String, String> environment;

    /** @param environment the step's environment (EnvVars): PATH, DOCKER_HOST and what withEnv set */
    public LauncherExecutor(Launcher launcher, FilePath workspace, Map<String, String> environment) {
        this.launcher = launcher;
        this.workspace = workspace;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Result run(Command command, Consumer<String> lines) {
        LineSink out = new LineSink(lines);
        LineSink err = new LineSink(lines);
        Proc proc;
        try {
            proc = starter(command).stdin(stdinOf(command)).stdout(out).stderr(err).start();
        } catch (IOException e) {
            throw cannotStart(command, e);
        }
        try {
            int code = command.limit() == null ? proc.join()
                    : proc.joinWithTimeout(command.limit().toMillis(), TimeUnit.MILLISECONDS, launcher.getListener());
            return new Result(code, out.finish(), err.finish());
        } catch (IOException e) {
            throw new ProcessFailedException("lost track of " + command.argv().get(0) + " on the agent: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            // Jenkins' Proc.join() ends the process when interrupted (the build was aborted).
            Thread.currentThread().interrupt();
            throw new ProcessFailedException("interrupted while running " + command.argv().get(0), e);
        }
    }

    /** The caller drives the streams, stdin included (the SSH session writes its scripts there). */
    @Override
    public RunningProcess start(Command command) {
        if (command.stdin() != null) {
            throw new IllegalArgumentException("a started process gets its input from the caller, not a secret stdin");
        }
        try {
            Proc proc = starter(command).readStdout().readStderr().writeStdin().start();
            return new LaunchedProcess(proc, command.argv().get(0));
        } catch (IOException e) {
            throw cannotStart(command, e);
        }
    }

    private Launcher.ProcStarter starter(Command command) {
        Map<String, String> env = new HashMap<>();
        environment.forEach((name, value) -> {
            if (!name.equals(NODE_COOKIE)) {
                env.put(name, verbatim(value));
            }
        });
        command.env().forEach((name, value) -> env.put(name, verbatim(value)));
        List<String> argv = command.argv().stream().map(LauncherExecutor::verbatim).toList();
        // quiet: the engine reports each step itself; Jenkins' own "$ docker ..." lines would only repeat it.
        return launcher.launch().cmds(argv).envs(env).pwd(workspace).quiet(true);
    }

    /**
     * The launcher expands {@code $NAME} in every argument and environment value with the agent's environment
     * (LocalLauncher, EnvVars), which would rewrite the engine's shell scripts and a user's URL or build argument;
     * {@code $$} is its escape for {@code $}, as the durable-task plugin uses for {@code sh}.
     */
    private static String verbatim(String value) {
        return value.replace("$", "$$");
    }

    private static InputStream stdinOf(Command command) {
        if (command.stdin() == null) {
            return InputStream.nullInputStream();
        }
        return new ByteArrayInputStream((command.stdin().reveal() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static ProcessFailedException cannotStart(Command command, IOException e) {
        if (interrupted(e)) {
            // An agent's launcher refuses to start a process on an interrupted thread (the build was aborted); an
            // interrupted channel write says so only in its cause or the thread's flag. Not a missing program.
            Thread.currentThread().interrupt();
            return new ProcessFailedException("interrupted before '" + command.argv().get(0) + "' started on the agent", e);
        }
        return new ProcessFailedException("cannot start '" + command.argv().get(0) + "' on the agent: " + e.getMessage()
                + " (is it installed and on the agent's PATH?)", e);
    }

    private static boolean interrupted(IOException e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            // A SocketTimeoutException is an InterruptedIOException too: a channel that timed out, not an abort.
            if (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)
                    || t instanceof ClosedByInterruptException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** A process started on the agent whose streams the engine reads and writes (the SSH session). */
    private static final class LaunchedProcess implements RunningProcess {
        private final Proc proc;
        private final String name;

        LaunchedProcess(Proc proc, String name) {
            this.proc = proc;
            this.name = name;
        }

        @Override
        public OutputStream stdin() {
            return proc.getStdin();
        }

        @Override
        public InputStream stdout() {
            return proc.getStdout();
        }

        @Override
        public InputStream stderr() {
            return proc.getStderr();
        }

        @Override
        public int waitFor() {
            try {
                return proc.join();
            } catch (IOException e) {
                throw new ProcessFailedException("lost track of " + name + " on the agent: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new ProcessFailedException("interrupted while waiting for " + name, e);
            }
        }

        @Override
        public void kill() {
            try {
                proc.kill();
            } catch (IOException e) {
                // The agent may be gone already; then so is the process.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
