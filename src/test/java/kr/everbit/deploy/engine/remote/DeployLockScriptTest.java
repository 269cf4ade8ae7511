package kr.everbit.deploy.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.everbit.deploy.engine.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy lock script run twice in one real shell (a deploy, then its automatic rollback): the second call
 * returns at once and the lock is held without a gap, while a second shell still cannot take it.
 */
class DeployLockScriptTest {
    private final RemoteScripts scripts = new RemoteScripts(new ComposeProject("~/app", List.of("compose.yaml"), "server",
            ImageRef.of("127.0.0.1:5000/everbit/server")));

    @Test
    void takingTheLockAgainInTheSameSessionIsInstantAndKeepsIt(@TempDir Path dir) throws Exception {
        Process session = new ProcessBuilder("sh").directory(dir.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = session.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8))) {
            send(in, RemoteLibrary.load());
            assertThat(out.readLine()).isEqualTo("rc=0");
            send(in, scripts.lock(5, "deploy").body());
            assertThat(out.readLine()).isEqualTo("rc=0");
            long start = System.nanoTime();
            send(in, scripts.lock(5, "rollback").body());
            assertThat(out.readLine()).isEqualTo("rc=0");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);

            Process other = new ProcessBuilder("sh", "-c", RemoteLibrary.load() + "\n" + scripts.lock(0, "someone else").body()
                    + "\necho rc=$?")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String said = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.waitFor()).isZero();
            assertThat(said).contains("deploy lock still held after 0s by rollback since").doesNotContain("rc=0");
        } finally {
            session.destroy();
        }
    }

    private static void send(OutputStream in, String body) throws Exception {
        in.write(("{\n" + body + "\n} </dev/null >/dev/null 2>&1\necho rc=$?\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
