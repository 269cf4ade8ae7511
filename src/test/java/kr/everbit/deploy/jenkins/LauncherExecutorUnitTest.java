package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.FilePath;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.ProcessFailedException;
import kr.everbit.deploy.engine.exec.Result;
import kr.everbit.deploy.engine.exec.RunningProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's executor on a Launcher, with real local processes behind a test Launcher. */
class LauncherExecutorUnitTest {
    private static final String TOKEN = "stdin-only-token-0123456789";
    @TempDir
    Path workspace;
    private final TestLauncher launcher = new TestLauncher(new TestListener());

    private LauncherExecutor executor(Map<String, String> env) {
        return new LauncherExecutor(launcher, new FilePath(workspace.toFile()), env);
    }

    @Test
    void aSecretReachesTheProcessOnlyThroughStdin() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Result result = executor(Map.of()).run(
                Command.of("sh", "-c", "cat; echo to-stderr >&2; exit 3").withStdin(Secret.of(TOKEN)), lines::add);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo(TOKEN + "\n");
        assertThat(result.stderr()).isEqualTo("to-stderr\n");
        assertThat(lines).containsExactlyInAnyOrder(TOKEN, "to-stderr");
        assertThat(launcher.commands).allSatisfy(argv -> assertThat(String.join(" ", argv)).doesNotContain(TOKEN));
    }

    @Test
    void theStepsEnvironmentAndTheCommandsOwnAreBothSet() {
        Result result = executor(Map.of("PATH", System.getenv("PATH"), "DOCKER_BUILDKIT", "0"))
                .run(Command.of("sh", "-c", "echo $DOCKER_BUILDKIT $SSH_AUTH_SOCK").withEnv("SSH_AUTH_SOCK", "/tmp/agent.sock"),
                        line -> { });
        assertThat(result.stdout()).isEqualTo("0 /tmp/agent.sock\n");
    }

    @Test
    void processesRunInTheWorkspace() {
        assertThat(executor(Map.of()).run(Command.of("pwd", "-P"), line -> { }).stdout().strip())
                .isEqualTo(workspace.toFile().getAbsoluteFile().toPath().toString());
    }

    @Test
    void aLastLineWithoutNewlineIsKept() {
        assertThat(executor(Map.of()).run(Command.of("printf", "no newline"), line -> { }).stdout()).isEqualTo("no newline\n");
    }

    @Test
    void aMissingProgramIsExplained() {
        assertThatThrownBy(() -> executor(Map.of()).run(Command.of("no-such-program-everbit"), line -> { }))
                .isInstanceOf(ProcessFailedException.class)
                .hasMessageStartingWith("cannot start 'no-such-program-everbit' on the agent");
    }

    @Test
    void aStartedProcessIsDrivenThroughItsStreams() throws Exception {
        RunningProcess cat = executor(Map.of()).start(Command.of("sh", "-c", "while read l; do echo \"got $l\"; done; echo bye >&2"));
        OutputStream in = cat.stdin();
        in.write("one\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(cat.stdout(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("got one");
        in.close();
        assertThat(new String(cat.stderr().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye\n");
        assertThat(cat.waitFor()).isZero();
    }

    @Test
    void anInterruptedJoinEndsTheProcessAndThrows() throws Exception {
        Path pidFile = workspace.resolve("pid");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> executor(Map.of()).run(Command.of("sh", "-c", "echo $$ > pid; exec sleep 30"), line -> { }))
                    .isInstanceOf(ProcessFailedException.class).hasMessage("interrupted before 'sh' started on the agent");
        } finally {
            assertThat(Thread.interrupted()).as("the interruption is kept").isTrue();
        }
        Thread main = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            while (!Files.exists(pidFile)) {
                Thread.onSpinWait();
            }
            main.interrupt();
        });
        interrupter.start();
        long start = System.nanoTime();
        try {
            assertThatThrownBy(() -> executor(Map.of()).run(Command.of("sh", "-c", "echo $$ > pid.tmp; mv pid.tmp pid; exec sleep 30"), line -> { }))
                    .isInstanceOf(ProcessFailedException.class).hasMessage("interrupted while running sh");
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        // Ended means signalled: the kernel may take a moment to reap it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("sleep was ended").isFalse();
    }

    @Test
    void theLauncherDoubleExpandsAndDropsAsJenkinsDoes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(Map.of("BASE", "/opt/x", "TOOL", "$BASE/bin", "HOME", ""));
        int code = launcher.launch().cmds(List.of("sh", "-c", "printf '%s|' \"$TOOL\" \"${HOME-unset}\" '$BASE' '$$' '$NO_SUCH_VAR'"))
                .envs(env).stdout(out).start().join();
        assertThat(code).isZero();
        // $BASE in a value and in an argument is expanded, $$ is an escaped $, an unknown name stays, HOME="" is removed.
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("/opt/x/bin|unset|/opt/x|$|$NO_SUCH_VAR|");
    }

    @Test
    void argumentsAndEnvironmentReachTheProcessVerbatim() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "BASE", "/opt/x", "TOOL", "$BASE/bin"));
        Result result = executor(env).run(Command.of("sh", "-c", "printf '%s|' \"$TOOL\" \"$ARG\" '$BASE' '$$' '${BASE}'")
                .withEnv("ARG", "a$$b"), line -> { });
        assertThat(result.stdout()).isEqualTo("$BASE/bin|a$$b|$BASE|$$|${BASE}|\n");
    }

    @Test
    void aProcessBeyondItsLimitIsEnded() {
        long start = System.nanoTime();
        Result result = executor(Map.of()).run(Command.of("sleep", "30").withLimit(java.time.Duration.ofMillis(300)), line -> { });
        assertThat(result.ok()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void cleanupRunsOnAnInterruptedThreadAndKeepsTheInterruption() {
        Thread.currentThread().interrupt();
        try {
            kr.everbit.deploy.engine.exec.Cleanup.commands(executor(Map.of()), Command.of("touch", "cleaned"));
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(workspace.resolve("cleaned")).exists();
    }

    /**
     * After an abort the node block ends while the step still cleans up, and its killer ends every process that
     * carries the block's cookie: the step's processes must not carry it, though the step's environment does.
     */
    @Test
    void theNodesProcessKillerDoesNotEndTheStepsProcesses() throws Exception {
        String cookie = "cookie-" + System.nanoTime();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(LauncherExecutor.NODE_COOKIE, cookie);
        RunningProcess cleanup = executor(env).start(Command.of("cat"));
        ProcessBuilder shStep = new ProcessBuilder("cat");
        shStep.environment().put(LauncherExecutor.NODE_COOKIE, cookie);
        Process marked = shStep.start();

        launcher.kill(Map.of(LauncherExecutor.NODE_COOKIE, cookie));

        assertThat(marked.waitFor()).as("a process with the cookie (an sh step's) is ended by the killer").isNotZero();
        cleanup.stdin().close();
        assertThat(cleanup.waitFor()).as("the step's process runs to its end").isZero();
    }
}
