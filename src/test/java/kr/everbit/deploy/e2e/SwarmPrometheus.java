package kr.everbit.deploy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kr.everbit.deploy.sandbox.SwarmCluster;

/**
 * The operator's Prometheus for a Swarm service: scrapes the app's {@code /metrics} on every node's host-mode port
 * every second, as the sandbox's Prometheus scrapes the VM's app (the sandbox's one watches a fixed loopback port, not
 * the cluster's nodes). On a free 127.0.0.1 port, state in {@code DIR/}; started once per test session.
 */
final class SwarmPrometheus implements AutoCloseable {
    private final int port;
    private final Process process;

    SwarmPrometheus(SwarmCluster cluster, Path dir, int appPort) throws IOException, InterruptedException {
        port = DeployFixture.freePort();
        Files.createDirectories(dir.resolve("data"));
        String targets = cluster.nodeNumbers().stream().map(n -> "'" + cluster.nodeAddress(n) + ":" + appPort + "'")
                .collect(Collectors.joining(", "));
        Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: app",
                "    metrics_path: /metrics",
                "    static_configs:",
                "      - targets: [" + targets + "]",
                ""));
        process = new ProcessBuilder(List.of("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            SwarmTestStack.waitFor("Prometheus ready on :" + port + " (" + dir.resolve("prometheus.log") + ")",
                    () -> SwarmTestStack.body(url() + "/-/ready").contains("Ready") || !process.isAlive());
        } catch (RuntimeException | InterruptedException | AssertionError e) {
            close();
            throw e;
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus ended: " + Files.readString(dir.resolve("prometheus.log")));
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
