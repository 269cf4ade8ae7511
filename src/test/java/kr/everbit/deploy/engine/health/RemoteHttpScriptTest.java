package kr.everbit.deploy.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.LocalExecutor;
import kr.everbit.deploy.engine.exec.Result;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM-side GET script run by a real local {@code sh} with real curl, and with busybox wget alone on the PATH
 * (as on a busybox image), against a loopback server: what the script prints must read back the same.
 */
class RemoteHttpScriptTest {
    private HttpServer server;
    private URI base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/up", x -> answer(x, 200, "{\"status\":\"UP\"}"));
        server.createContext("/lines", x -> answer(x, 200, "first\nsecond\n"));
        server.createContext("/down", x -> answer(x, 503, "{\"status\":\"DOWN\"}"));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void curlBodyAndStatusReadBack() {
        HttpAnswer up = new RemoteHttp(sh(null), 5).get(base.resolve("/up"));
        assertThat(up).isEqualTo(new HttpAnswer(200, "{\"status\":\"UP\"}", null, null));
        assertThat(new RemoteHttp(sh(null), 5).get(base.resolve("/lines")).body()).isEqualTo("first\nsecond");
        assertThat(new RemoteHttp(sh(null), 5).get(base.resolve("/down")).status()).isEqualTo(503);
    }

    @Test
    void curlWithoutAnAnswerSaysWhy() {
        server.stop(0);
        HttpAnswer none = new RemoteHttp(sh(null), 5).get(base.resolve("/up"));
        assertThat(none.answered()).isFalse();
        assertThat(none.failure()).startsWith("curl: (7)");
    }

    @Test
    void busyboxWgetIsTheFallback(@TempDir Path bin) throws IOException {
        Path real = onPath("busybox");
        assumeTrue(real != null, "busybox is not on the PATH (scripts/test-env.sh installs it)");
        for (String tool : List.of("sh", "wget", "timeout", "mktemp", "sed", "tail", "rm")) {
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        assertThat(new RemoteHttp(sh(bin), 5).get(base.resolve("/up"))).isEqualTo(new HttpAnswer(200, "{\"status\":\"UP\"}", null, null));
        assertThat(new RemoteHttp(sh(bin), 5).get(base.resolve("/down")).status()).isEqualTo(503);
        server.stop(0);
        HttpAnswer none = new RemoteHttp(sh(bin), 5).get(base.resolve("/up"));
        assertThat(none.answered()).isFalse();
        assertThat(none.failure()).containsIgnoringCase("refused");
    }

    private static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A stand-in for the VM's shell: the script runs in a local sh after the library, stderr merged as the session does. */
    private static RemoteShell sh(Path onlyPath) {
        return script -> {
            String text = "exec 2>&1\n" + RemoteLibrary.text() + "\n" + script.body();
            Command command = Command.of("sh", "-c", text);
            if (onlyPath != null) {
                command = Command.of(onlyPath.resolve("sh").toString(), "-c", text)
                        .withEnv("PATH", onlyPath.toString());
            }
            Result r = new LocalExecutor().run(command, line -> { });
            return new ShellResult(r.exitCode(), r.stdout().lines().toList());
        };
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
