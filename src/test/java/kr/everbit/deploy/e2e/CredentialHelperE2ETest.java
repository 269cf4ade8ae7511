package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry login never outlives its command, even where a docker credential helper is installed: docker gives
 * a config without auths the platform's helper, and a login would store the token there, outside the temporary
 * config dir that is removed. The helper here is a double (the real ones need a desktop keyring or gpg): an
 * executable of the name docker looks for, first on the PATH, that records each call.
 */
class CredentialHelperE2ETest {
    private final Sandbox sandbox = Sandbox.get();

    @TempDir
    Path tmp;
    private Path helperDir;
    private Path calls;

    @BeforeEach
    void installTheHelperDouble() throws IOException {
        helperDir = Files.createDirectories(tmp.resolve("helper-bin"));
        calls = tmp.resolve("helper-calls");
        // docker on Linux picks docker-credential-pass when `pass` is installed, else -secretservice: both are here.
        for (String name : List.of("docker-credential-secretservice", "docker-credential-pass")) {
            Path helper = helperDir.resolve(name);
            Files.writeString(helper, String.join("\n",
                    "#!/bin/sh",
                    "# double of a docker credential helper: records the call, keeps nothing",
                    "echo \"" + name + " $1\" >> '" + calls + "'",
                    "cat > /dev/null",
                    "case \"$1\" in",
                    "  get) echo 'credentials not found in native keychain'; exit 1 ;;",
                    "  list) echo '{}' ;;",
                    "esac",
                    ""));
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(calls, "");
    }

    @Test
    void theDoubleIsWhatDockerPicksForAConfigWithoutAuths() throws Exception {
        // Without this, a helper that docker never calls would make the tests below pass.
        Path empty = Files.createDirectories(tmp.resolve("empty-config"));
        Process login = process(List.of("docker", "--config", empty.toString(), "login", "--username", sandbox.registryUser(),
                "--password-stdin", sandbox.registryHost()), tmp, Map.of());
        try (var in = login.getOutputStream()) {
            in.write((sandbox.registryToken() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(finish(login)).isZero();
        assertThat(Files.readString(calls)).contains(" store");
    }

    @Test
    void pushAndTheVmsPullStoreNothingInAHelperAndLeaveNoFileBehind() throws Exception {
        String image = sandbox.registryHost() + "/e2e/credential-helper";
        String sha = randomSha();
        sandbox.buildAppImage(image + ":" + sha, Map.of("RELEASE", sha));
        try {
            // The agent side: the CLI's push, in its own JVM, with the helper on its PATH and its own temp dir.
            Path agentTmp = Files.createDirectories(tmp.resolve("agent-tmp"));
            List<String> push = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "kr.everbit.deploy.cli.Main",
                    "push", "--image", image, "--sha", sha, "--registry-user", sandbox.registryUser(),
                    "--registry-token-file", sandbox.registryTokenFile().toString()));
            Process pushed = process(push, tmp, Map.of("TMPDIR", agentTmp.toString()));
            pushed.getOutputStream().close();
            String pushSaid = new String(pushed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finish(pushed)).as(pushSaid).isZero();
            assertThat(Files.readString(calls)).as("calls to the credential helper during push").doesNotContain(" store");
            assertThat(filesUnder(agentTmp)).as("files left in the agent's temp dir").isEmpty();

            // The VM side: the scripts `up` sends, in the order and the subshells of the session, run by a real sh
            // with the helper on its PATH (the sandbox VM's PATH is shared by every test; this one is not).
            Path vmTmp = Files.createDirectories(tmp.resolve("vm-tmp"));
            Path home = Files.createDirectories(tmp.resolve("vm-home"));
            Path dir = Files.createDirectories(tmp.resolve("deploy"));
            Files.writeString(dir.resolve("compose.yaml"), Sandbox.composeFile(DeployFixture.freePort(), "server", image + ":unset"));
            RemoteScripts scripts = new RemoteScripts(new ComposeProject(dir.toString(), List.of("compose.yaml"), "server",
                    ImageRef.of(image)));
            String session = String.join("\n",
                    "{", RemoteLibrary.load(), scripts.openProject().body(), "} </dev/null || exit 9",
                    "(", scripts.writePin(ComposeProject.NEXT_PIN_FILE, image + ":" + sha).body(), ") </dev/null || exit 8",
                    "(", scripts.pull(ComposeProject.NEXT_PIN_FILE, sandbox.registryHost(), sandbox.registryUser(),
                            Secret.of(sandbox.registryToken())).body(), ") </dev/null",
                    "");
            Process vm = process(List.of("sh", "-c", session), dir, Map.of("TMPDIR", vmTmp.toString(), "HOME", home.toString()));
            vm.getOutputStream().close();
            String pullSaid = new String(vm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // The registry requires a login: a pull that passes used the token.
            assertThat(finish(vm)).as(pullSaid).isZero();
            assertThat(Files.readString(calls)).as("calls to the credential helper during the VM's pull").doesNotContain(" store");
            assertThat(filesUnder(vmTmp)).as("files left in the VM's temp dir").isEmpty();
            assertThat(filesUnder(home)).as("files left in the VM user's home").isEmpty();
        } finally {
            Sandbox.run(List.of("docker", "image", "rm", "-f", image + ":" + sha), Map.of(), Duration.ofMinutes(1));
        }
    }

    /** A process with the helper double first on its PATH, stderr merged into stdout. */
    private Process process(List<String> command, Path workDir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("PATH", helperDir + ":" + System.getenv("PATH"));
        return pb.start();
    }

    private static int finish(Process process) throws InterruptedException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("no exit within 3 minutes: " + process.info().commandLine().orElse("?"));
        }
        return process.exitValue();
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).toList();
        }
    }
}
