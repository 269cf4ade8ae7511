package kr.everbit.deploy.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.LocalExecutor;
import kr.everbit.deploy.engine.exec.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private ssh-agent forgets its key by itself: an agent that nobody stopped (its JVM crashed) holds no usable
 * key once the lifetime is over. Real OpenSSH ssh-agent, with a lifetime of one second for the test.
 */
class SshAgentLifetimeTest {
    @TempDir
    Path dir;

    @Test
    void theAgentForgetsTheKeyAfterItsLifetime() throws Exception {
        Path key = dir.resolve("key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        LocalExecutor executor = new LocalExecutor();
        SshAgent agent = SshAgent.start(executor, Secret.of(Files.readString(key)), Duration.ofSeconds(1));
        try {
            // ssh-add -l: exit 0 with keys listed, 1 when the agent holds none.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Result listed = list(executor, agent);
            while (listed.exitCode() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                listed = list(executor, agent);
            }
            assertThat(listed.exitCode()).as("ssh-add -l once the lifetime is over: " + listed.stdout()).isEqualTo(1);
        } finally {
            agent.close();
        }
        assertThat(SshAgent.KEY_LIFETIME).isLessThanOrEqualTo(Duration.ofMinutes(10));
    }

    private static Result list(LocalExecutor executor, SshAgent agent) {
        return executor.run(Command.of("ssh-add", "-l").withEnv("SSH_AUTH_SOCK", agent.socket()), line -> { });
    }
}
