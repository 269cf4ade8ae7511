package kr.everbit.deploy.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.ShellResult;
import org.junit.jupiter.api.Test;

/**
 * A batch as the session sends it (one round trip), read by the shells a VM may have as sh, from their stdin as the
 * session's shell reads it: each script's end marker with its exit code, in order; a script in the session's shell
 * leaves its variables to the next; a failed script that stops the batch skips the rest, one that does not goes on.
 */
class SshSessionBatchUnitTest {
    private static final String MARKER = "__EVERBIT_DONE_test__";

    @Test
    void theVmRunsEachScriptAfterTheOneBeforeAndSkipsTheRestAfterAFailureThatStopsTheBatch() throws Exception {
        List<BatchStep> steps = List.of(
                new BatchStep(RemoteScript.quiet("set", "everbit_seen=kept; echo one"), true, true),
                BatchStep.any(RemoteScript.quiet("fails, the batch goes on", "echo \"$everbit_seen\"; exit 3")),
                BatchStep.required(RemoteScript.quiet("fails and stops", "echo three; false")),
                BatchStep.any(RemoteScript.quiet("skipped", "echo four")),
                new BatchStep(RemoteScript.quiet("skipped in the session", "echo five"), true, false));
        for (String shell : List.of("dash", "sh", "bash")) {
            Process p = new ProcessBuilder(shell, "-s").redirectErrorStream(true).start();
            p.getOutputStream().write((SshSession.batch(steps, RemoteScript::body, MARKER) + "echo after\n")
                    .getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(shell + ": " + out).isZero();
            assertThat(out).as(shell).isEqualTo(String.join("\n", "one", "", MARKER + " 0", "kept", "", MARKER + " 3",
                    "three", "", MARKER + " 1", "", MARKER + " " + ShellResult.SKIPPED, "", MARKER + " " + ShellResult.SKIPPED,
                    "after", ""));
        }
    }

    @Test
    void theDeployLockTakenInABatchIsHeldByTheSessionsShellForTheScriptsAfterIt() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("batch-lock");
        java.nio.file.Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
        kr.everbit.deploy.engine.remote.RemoteScripts scripts = new kr.everbit.deploy.engine.remote.RemoteScripts(
                new kr.everbit.deploy.engine.remote.ComposeProject(dir.toString(), List.of("compose.yaml"), "server",
                        kr.everbit.deploy.engine.ImageRef.of("127.0.0.1:5000/o/server")));
        // A docker double, and compose v2 (its plugin picked from its file), so that opening the project succeeds.
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(dir.resolve("bin"));
        java.nio.file.Files.writeString(bin.resolve("docker"), "#!/bin/sh\nexit 0\n");
        bin.resolve("docker").toFile().setExecutable(true);
        List<BatchStep> opening = List.of(new BatchStep(scripts.openProject(), true, true),
                new BatchStep(scripts.lock(5, "test"), true, true),
                // Another process cannot take the lock now: the session's shell holds it.
                BatchStep.any(RemoteScript.quiet("try the lock elsewhere",
                        "(exec 8>>.everbit/deploy.lock; flock -n 8) && echo free || echo held")));
        for (String shell : List.of("dash", "bash")) {
            ProcessBuilder pb = new ProcessBuilder(shell, "-s").redirectErrorStream(true);
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            pb.environment().put("DOCKER_CONFIG", kr.everbit.deploy.engine.remote.ComposeV2Config.in(dir).toString());
            Process p = pb.start();
            p.getOutputStream().write((kr.everbit.deploy.engine.remote.RemoteLibrary.load() + "\n"
                    + SshSession.batch(opening, RemoteScript::body, MARKER)
                    + SshSession.batch(List.of(BatchStep.any(RemoteScript.quiet("again", "(exec 8>>.everbit/deploy.lock;"
                            + " flock -n 8) && echo free || echo held"))), RemoteScript::body, MARKER))
                    .getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(shell + ": " + out).isZero();
            assertThat(out).as(shell).contains("compose=v2\n\n" + MARKER + " 0\n\n" + MARKER + " 0\n")
                    .contains("held\n\n" + MARKER + " 0\nheld\n\n" + MARKER + " 0\n").doesNotContain("free");
        }
    }

    @Test
    void aBatchThatStopsNowhereRunsEveryScriptAndTheNextBatchStartsAfresh() throws Exception {
        List<BatchStep> failing = List.of(BatchStep.required(RemoteScript.quiet("fails", "false")));
        List<BatchStep> next = List.of(BatchStep.required(RemoteScript.quiet("runs", "echo ran")));
        Process p = new ProcessBuilder("dash", "-s").redirectErrorStream(true).start();
        p.getOutputStream().write((SshSession.batch(failing, RemoteScript::body, MARKER)
                + SshSession.batch(next, RemoteScript::body, MARKER)).getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(out).isEqualTo("\n" + MARKER + " 1\nran\n\n" + MARKER + " 0\n");
    }
}
