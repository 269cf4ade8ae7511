package kr.everbit.deploy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kr.everbit.deploy.sandbox.Sandbox;
import kr.everbit.deploy.sandbox.SwarmCluster;

/**
 * The operator's Nginx in front of a Swarm service's host-mode port on every node of the test cluster, as the
 * cluster's own (scripts/test-env-swarm.sh) but on a free 127.0.0.1 port and for the test's own published port, so
 * that tests running at once never share one. Run on the test host (as the tests, root), configuration and state in
 * {@code DIR/}.
 *
 * <p>The settings that make a rolling update lose no request: a node whose port refuses or closes the connection
 * (its task stopped, or started but not yet listening behind Docker's port proxy) is skipped for that request
 * ({@code proxy_next_upstream error timeout}, a short {@code proxy_connect_timeout}) and for {@code fail_timeout}
 * after one failure ({@code max_fails=1}). That window must end before the next node's task stops (the stack's
 * {@code update_config.delay}, 3 s, is longer than 1 s and the second Nginx counts in): when every node is in it
 * at once, Nginx answers 502 "no live upstreams" without trying any (seen when a node was lost mid-rollout and the
 * window was 5 s). An answer of the app, 5xx included, is never retried.
 */
final class SwarmNginx implements AutoCloseable {
    final int port;
    private final Path home;

    SwarmNginx(SwarmCluster cluster, Path dir, int appPort) throws IOException {
        this.port = DeployFixture.freePort();
        this.home = dir;
        Files.createDirectories(home.resolve("tmp"));
        String servers = cluster.nodeNumbers().stream()
                .map(n -> "    server " + cluster.nodeAddress(n) + ":" + appPort + " max_fails=1 fail_timeout=1s;")
                .collect(Collectors.joining("\n"));
        Files.writeString(home.resolve("nginx.conf"), String.join("\n",
                "worker_processes 1;",
                "pid " + home.resolve("nginx.pid") + ";",
                "error_log " + home.resolve("error.log") + " warn;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + home.resolve("tmp") + ";",
                "  proxy_temp_path " + home.resolve("tmp") + ";",
                "  fastcgi_temp_path " + home.resolve("tmp") + ";",
                "  uwsgi_temp_path " + home.resolve("tmp") + ";",
                "  scgi_temp_path " + home.resolve("tmp") + ";",
                "  proxy_connect_timeout 1s;",
                "  proxy_read_timeout 10s;",
                "  upstream nodes {",
                servers,
                "  }",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    location / {",
                "      proxy_pass http://nodes;",
                "      proxy_next_upstream error timeout;",
                "    }",
                "  }",
                "}",
                ""));
        List<String> nginx = List.of(nginxBinary(), "-p", home + "/", "-e", home.resolve("error.log").toString(),
                "-c", home.resolve("nginx.conf").toString());
        // the master daemonizes: its output goes to a file, or the pipes this run reads would stay open
        Path log = home.resolve("start.log");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" </dev/null >\"$0\" 2>&1", log.toString()));
        command.addAll(nginx);
        Sandbox.Exec start = Sandbox.run(command, Map.of(), Duration.ofSeconds(30));
        if (!start.ok()) {
            throw new IllegalStateException("nginx did not start: " + Files.readString(log));
        }
    }

    private static String nginxBinary() throws IOException {
        Sandbox.Exec which = Sandbox.run(List.of("sh", "-c", "command -v nginx"), Map.of(), Duration.ofSeconds(10));
        String path = which.stdout().strip();
        if (path.isEmpty()) {
            throw new IllegalStateException("nginx is not installed: run scripts/test-env.sh");
        }
        return path;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws IOException {
        // By its pid, not "nginx -s stop": that parses the configuration first.
        Path pid = home.resolve("nginx.pid");
        if (Files.isRegularFile(pid)) {
            String p = Files.readString(pid).strip();
            Sandbox.run(List.of("sh", "-c", "kill -TERM \"$1\" && i=0 && while kill -0 \"$1\" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; true", "sh", p),
                    Map.of(), Duration.ofSeconds(30));
        }
    }
}
