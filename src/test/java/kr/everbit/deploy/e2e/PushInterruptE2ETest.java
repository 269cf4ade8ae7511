package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code push} ended by SIGTERM or SIGINT at any instant (every 0.1 s from the moment it creates its temporary
 * docker config, 20 times each) leaves no credential on this machine: the temporary docker config that held the
 * registry token is gone, whatever the push was doing (filling the config, logging in, pushing, logging out).
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
class PushInterruptE2ETest {
    private final Sandbox sandbox = Sandbox.get();

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aPushEndedAtAnyInstantLeavesNoTokenBehind(String signal) throws Exception {
        String image = sandbox.registryHost() + "/e2e/push-interrupt";
        String sha = randomSha();
        DeployFixture.Run built = cli("build", "--image", image, "--sha", sha, "--context", sandbox.appContext().toString());
        assertThat(built.exit()).as(built.all()).isZero();
        String token = Files.readString(sandbox.registryTokenFile()).strip();
        Path tmp = Files.createTempDirectory("push-interrupt");
        try {
            for (int step = 0; step < 20; step++) {
                Process push = ToolProcess.start(new String[] {"push", "--image", image, "--sha", sha, "--registry-user",
                        sandbox.registryUser(), "--registry-token-file", sandbox.registryTokenFile().toString()},
                        Map.of("TMPDIR", tmp.toString()));
                Thread drain = new Thread(() -> {
                    try {
                        push.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        // the tool ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                // The push's own clock starts when it creates the temporary docker config: steps from there on.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (isEmpty(tmp) && push.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(isEmpty(tmp)).as("the push created its temporary docker config").isFalse();
                Thread.sleep(step * 100L);
                new ProcessBuilder("kill", "-" + signal, String.valueOf(push.pid())).start().waitFor();
                assertThat(push.waitFor(60, TimeUnit.SECONDS)).as("the push ended").isTrue();
                assertThat(leftovers(tmp, token)).as(signal + " " + step * 100 + " ms after the config was created").isEmpty();
                assertThat(isEmpty(tmp)).as("the temporary config is gone").isTrue();
            }
        } finally {
            new ProcessBuilder("docker", "image", "rm", image + ":" + sha).start().waitFor();
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Every file under {@code dir} that is a docker config or holds the token. */
    private static List<Path> leftovers(Path dir, String token) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return f.getFileName().toString().equals("config.json") || Files.readString(f).contains(token);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
