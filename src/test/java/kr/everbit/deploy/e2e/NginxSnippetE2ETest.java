package kr.everbit.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * README's Nginx snippet of the proxy mode, as written there, in front of an app that checks the {@code Host} header
 * as Tomcat (Spring Boot) does: a real Nginx, and a double of Tomcat's host check (no Tomcat can run here).
 */
class NginxSnippetE2ETest {
    /** Where README's snippet includes the upstream file; the test puts its own deploy dir's file there. */
    private static final String README_UPSTREAM = "/home/ubuntu/everbit/.everbit/nginx/upstream.conf";
    /** RFC 1123 host names and IPv4 addresses with an optional port, which is what Tomcat accepts: no '_'. */
    private static final Pattern TOMCAT_HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");
    private final Sandbox sandbox = Sandbox.get();
    private HttpServer app;
    private ProxyNginx nginx;

    @AfterEach
    void cleanUp() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    @Test
    void theReadmesSnippetReachesAnAppThatRejectsAnInvalidHostAsTomcatDoes() throws Exception {
        startApp();
        String snippet = layoutOneSnippet();
        assertThat(answer(snippet)).isEqualTo("200 hello");
        // The double is faithful: without the Host line Nginx sends "Host: everbit_server", and the app answers 400.
        nginx.close();
        assertThat(answer(snippet.replaceAll("(?m)^.*proxy_set_header Host.*\n", ""))).startsWith("400");
    }

    /** Starts Nginx with {@code snippet} (its include and listen made this test's), and GETs / through it. */
    private String answer(String snippet) throws Exception {
        Path dir = sandbox.newDeployDir("nginx-snippet");
        nginx = new ProxyNginx(sandbox, dir, "server 127.0.0.1:" + app.getAddress().getPort() + ";\n",
                (upstream, port) -> snippet.replace(README_UPSTREAM, upstream.toString())
                        .replace("listen 443 ssl;", "listen 127.0.0.1:" + port + ";"));
        return sandbox.ssh("curl -s -w ' %{http_code}' " + nginx.url("/")).stdout().strip().replaceAll("^(.*) ([0-9]{3})$", "$2 $1");
    }

    private void startApp() throws Exception {
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        app.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            boolean valid = host != null && TOMCAT_HOST.matcher(host).matches();
            byte[] body = (valid ? "hello" : "invalid host " + host).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(valid ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
    }

    private static String layoutOneSnippet() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("\\*\\*Layout 1,[^\n]*\n\n```nginx\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README's layout 1 Nginx snippet").isTrue();
        String snippet = m.group(1);
        assertThat(snippet).contains(README_UPSTREAM).contains("listen 443 ssl;");
        return snippet;
    }
}
