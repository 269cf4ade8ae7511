package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.exec.LocalExecutor;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.flow.Status;
import kr.everbit.deploy.engine.flow.StatusReport;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.ssh.SshTarget;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The registry token and the SSH key never show in process arguments or environments, files, or output. */
@ResourceLock(Sandbox.VM_USER_FILES)
class SecretsE2ETest {
    private final Sandbox sandbox = Sandbox.get();
    private DeployFixture vm;

    @AfterEach
    void removeContainers() {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void theRegistryTokenStaysOutOfArgumentsFilesAndOutput() throws Exception {
        vm = new DeployFixture(sandbox, "secrets");
        String sha = randomSha();
        String token = sandbox.registryToken();
        Instant start = Instant.now();
        DeployFixture.Run push;
        DeployFixture.Run up;
        List<String> sightings;
        String canary = "canary-" + randomSha();
        try (ProcessWatch watch = new ProcessWatch(List.of(token, canary))) {
            // The watch must see a process that does show a value in its arguments, or its silence means nothing.
            new ProcessBuilder("sh", "-c", "sleep 0.5", canary).start().waitFor();
            vm.release(sha);
            push = DeployFixture.cli(DeployFixture.args(List.of("push", "--image", vm.image, "--sha", sha), vm.login()));
            up = vm.up(sha);
            sightings = watch.sightings();
            assertThat(watch.scans()).isGreaterThan(10);
        }
        assertThat(push.exit()).isZero();
        assertThat(up.exit()).isZero();
        assertThat(sightings).as("the canary was seen").anyMatch(line -> line.contains(canary));
        assertThat(sightings).as("processes whose arguments or environment held the token").noneMatch(line -> line.contains(token));
        assertThat(push.all() + up.all()).doesNotContain(token);
        Path everbitHome = sandbox.dir().resolve("home");
        assertThat(filesHolding(token, start, everbitHome, vm.dir, Path.of(System.getProperty("user.home"), ".docker"),
                Path.of(System.getProperty("java.io.tmpdir")))).as("files written since the test began").isEmpty();
    }

    @Test
    void aKeyHandedOverAsTextGoesToAPrivateAgentThroughStdinAndNeverToDisk() throws Exception {
        String key = Files.readString(sandbox.sshIdentity());
        String keyLine = key.lines().filter(l -> l.length() > 40).findFirst().orElseThrow();
        Path dir = sandbox.newDeployDir("agent-key");
        Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
        sandbox.giveToSshUser(dir);
        Instant start = Instant.now();
        StringBuilder printed = new StringBuilder();
        Progress progress = new kr.everbit.deploy.engine.MaskingProgress(new Progress() {
            public void info(String text) { printed.append(text).append('\n'); }
            public void warn(String text) { printed.append(text).append('\n'); }
            public void output(String line) { printed.append(line).append('\n'); }
            public void stepDone(String step, java.time.Duration took, boolean ok) { printed.append(step).append('\n'); }
        }, new Masker());
        StatusReport report;
        List<String> sightings;
        try (ProcessWatch watch = new ProcessWatch(List.of(keyLine))) {
            SshTarget target = new SshTarget(sandbox.sshHost(), sandbox.sshPort(), sandbox.sshUser(), null, sandbox.sshKnownHosts().toString());
            try (Vm remote = Vm.connect(new LocalExecutor(), new Connection(target, Secret.of(key)),
                    new ComposeProject(dir.toString(), List.of("compose.yaml"), "server",
                            kr.everbit.deploy.engine.ImageRef.of(sandbox.registryHost() + "/e2e/agent")), progress, new Masker())) {
                report = new Status().run(remote);
            }
            sightings = watch.sightings();
        }
        assertThat(report.current()).isNull();
        assertThat(sightings).isEmpty();
        assertThat(printed.toString()).doesNotContain(keyLine);
        assertThat(filesHolding(keyLine, start, Path.of(System.getProperty("java.io.tmpdir")), dir)).isEmpty();
    }

    /** Regular files under {@code roots} changed since {@code since} whose text holds {@code needle}. */
    private static List<Path> filesHolding(String needle, Instant since, Path... roots) {
        return Stream.of(roots).filter(Files::isDirectory).flatMap(root -> {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile).filter(f -> changedSince(f, since)).filter(f -> holds(f, needle)).toList().stream();
            } catch (IOException | UncheckedIOException e) {
                return Stream.of();
            }
        }).toList();
    }

    private static boolean changedSince(Path file, Instant since) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isAfter(since.minusSeconds(1)) && Files.size(file) < 4_000_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean holds(Path file, String needle) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(needle);
        } catch (IOException e) {
            return false;
        }
    }
}
