package kr.everbit.deploy.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import kr.everbit.deploy.sandbox.Sandbox;

/**
 * A real Nginx of its own (Debian's), run on the sandbox VM as the VM user, so that the tool reloads it over SSH as an
 * operator's Nginx: its configuration and state in {@code DIR/nginx/}, listening on a free 127.0.0.1 port, sending
 * every request to the upstream file the tool owns ({@code DIR/.everbit/nginx/upstream.conf}, the default).
 */
public final class ProxyNginx implements AutoCloseable {
    final int port;
    private final Sandbox sandbox;
    private final Path home;
    private final String nginx;

    public ProxyNginx(Sandbox sandbox, Path deployDir, String initialUpstream) throws IOException {
        this(sandbox, deployDir, initialUpstream, (upstream, port) -> String.join("\n",
                "upstream app {",
                "  include " + upstream + ";",
                "}",
                "server {",
                "  listen 127.0.0.1:" + port + ";",
                "  location / { proxy_pass http://app; }",
                "}"));
    }

    /** With the operator's own {@code upstream} and {@code server} blocks, given the upstream file and the port. */
    ProxyNginx(Sandbox sandbox, Path deployDir, String initialUpstream, BiFunction<Path, Integer, String> site)
            throws IOException {
        this.sandbox = sandbox;
        this.port = DeployFixture.freePort();
        this.home = deployDir.resolve("nginx");
        this.nginx = nginxBinary() + " -p " + home + " -e " + home.resolve("error.log") + " -c " + home.resolve("nginx.conf");
        Path upstream = deployDir.resolve(".everbit/nginx/upstream.conf");
        sandbox.writeAsSshUser(upstream, initialUpstream);
        sandbox.writeAsSshUser(home.resolve("tmp/.keep"), "");
        sandbox.writeAsSshUser(home.resolve("nginx.conf"), String.join("\n",
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
                site.apply(upstream, port),
                "}",
                ""));
        sandbox.ssh(nginx + " </dev/null >/dev/null 2>&1").requireSuccess("starting nginx");
    }

    /** Debian's nginx as the tests' PATH finds it (the VM user's PATH has no sbin directory). */
    private static String nginxBinary() throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "command -v nginx").start();
        String path = new String(p.getInputStream().readAllBytes()).strip();
        if (path.isEmpty()) {
            throw new IllegalStateException("nginx is not installed: run scripts/test-env.sh");
        }
        return path;
    }

    /** The tool's options that make it switch this Nginx: the sandbox layout (host network, a port per slot). */
    List<String> options(int bluePort, int greenPort) {
        return List.of("--switch", "proxy", "--proxy-test", testCommand(), "--proxy-reload", reloadCommand(),
                "--proxy-host", "127.0.0.1", "--proxy-port", String.valueOf(bluePort), "--proxy-port",
                String.valueOf(greenPort), "--proxy-port-env", "PORT");
    }

    /** The VM's command that checks this Nginx's configuration. */
    public String testCommand() {
        return nginx + " -t -q";
    }

    /** The VM's command that reloads this Nginx gracefully. */
    public String reloadCommand() {
        return nginx + " -s reload";
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        // By its pid, not "nginx -s stop": that parses the configuration first, and a test may have broken it.
        Path pid = home.resolve("nginx.pid");
        sandbox.ssh("p=$(cat " + pid + " 2>/dev/null) && kill -TERM \"$p\" && i=0 && while kill -0 \"$p\" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; true");
    }
}
