package kr.everbit.deploy.library;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The webhook exception, with Debian's nginx and njs on loopback: the repository's snippet and signature check are
 * included as they are; only the allowlist is the test's own (127.0.0.1, where the committed one holds GitHub's
 * ranges), and the deliveries directory is the test's. A small HTTP server on 127.0.0.1 stands in for Jenkins and records what reaches it. Both layouts run:
 * Nginx on the VM (the test's upstream, a free port) and Nginx in the standard's container, where the committed
 * upstream names the compose service {@code jenkins:8080}.
 */
class WebhookNginxTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path NGINX_DIR = REPO.resolve("deploy/jenkins/nginx");
    static final String SECRET = "test-webhook-secret-" + Long.toHexString(System.nanoTime());
    static final String PAYLOAD = "{\"ref\":\"refs/heads/main\",\"after\":\"3f9c2ab5d0e14c7a9b8e6f5d4c3b2a1908172635\"}";
    static final String NJS_MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so";

    /** Nginx on the VM itself: the stand-in listens on a free loopback port, named by the test's own upstream. */
    @Nested
    class HostNginx extends Layout {
        @Override
        InetSocketAddress jenkinsAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        }

        @Override
        String upstream(int jenkinsPort) {
            return "upstream everbit_jenkins { server 127.0.0.1:%d; }".formatted(jenkinsPort);
        }

        @Override
        List<String> launcher() {
            return List.of();
        }
    }

    /**
     * Nginx as a compose service: the committed upstream as it is, so Jenkins is {@code jenkins:8080}. Docker's
     * network DNS is replaced by a hosts file that only this nginx sees (its own mount namespace), which maps
     * {@code jenkins} to 127.0.0.1, where the stand-in takes the container port.
     */
    @Nested
    class ContainerNginx extends Layout {
        String machineHosts;

        @Override
        InetSocketAddress jenkinsAddress() throws IOException {
            machineHosts = Files.readString(Path.of("/etc/hosts"));
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        }

        @Override
        String upstream(int jenkinsPort) {
            return "include %s;".formatted(NGINX_DIR.resolve("jenkins-upstream-container.conf"));
        }

        @Override
        List<String> launcher() throws IOException {
            Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.1 jenkins\n");
            List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
            if (!"root".equals(System.getProperty("user.name"))) {
                // without root, a user namespace grants the bind mount inside the new mount namespace
                command.add("--map-root-user");
            }
            command.addAll(List.of("sh", "-c", "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hosts.toString()));
            return command;
        }

        @Test
        void theMachinesHostsFileIsUntouched() throws IOException {
            assertThat(Files.readString(Path.of("/etc/hosts"))).isEqualTo(machineHosts);
        }
    }

    /** One nginx with one upstream layout, and what GitHub, a forger and anyone else get from it. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Layout {
        Path dir;
        HttpServer jenkins;
        final List<String> reachedJenkins = new CopyOnWriteArrayList<>();
        final List<Map<String, List<String>>> headersAtJenkins = new CopyOnWriteArrayList<>();
        Process nginx;
        int port;

        /** Where the stand-in Jenkins listens. */
        abstract InetSocketAddress jenkinsAddress() throws IOException;

        /** The http {} lines that define upstream everbit_jenkins. */
        abstract String upstream(int jenkinsPort);

        /** What runs nginx (its arguments follow). */
        abstract List<String> launcher() throws IOException;

        @BeforeAll
        void start(@TempDir Path tempDir) throws Exception {
            dir = tempDir;
            InetSocketAddress address = jenkinsAddress();
            try {
                jenkins = HttpServer.create(address, 0);
            } catch (BindException taken) {
                Assumptions.abort("the stand-in Jenkins needs " + address + " (the container port), which is taken");
            }
            jenkins.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                reachedJenkins.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + new String(body, UTF_8));
                headersAtJenkins.add(Map.copyOf(exchange.getRequestHeaders()));
                byte[] answer = "jenkins got it".getBytes(UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            jenkins.start();

            Path everbit = Files.createDirectories(dir.resolve("everbit"));
            Files.writeString(everbit.resolve("github-hooks-allow.conf"), "allow 127.0.0.1;\n");
            Files.copy(NGINX_DIR.resolve("github-webhook.js"), everbit.resolve("github-webhook.js"));
            Files.writeString(everbit.resolve("github-webhook.secret"), SECRET + "\n");
            Files.createDirectories(everbit.resolve("webhook-deliveries"));
            port = freePort();
            Files.writeString(dir.resolve("nginx.conf"), nginxConf(upstream(jenkins.getAddress().getPort())));

            Process check = nginx("-t");
            String checkOutput = new String(check.getInputStream().readAllBytes(), UTF_8);
            assertThat(check.waitFor()).as("nginx -t:\n" + checkOutput).isZero();

            nginx = nginx();
            awaitListening();
        }

        @AfterAll
        void stop() throws Exception {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            if (jenkins != null) {
                jenkins.stop(0);
            }
        }

        private String nginxConf(String upstream) {
            return """
                    load_module %s;
                    daemon off;
                    master_process off;
                    pid %s/nginx.pid;
                    error_log %s/error.log info;
                    events { worker_connections 64; }
                    http {
                        access_log off;
                        client_body_temp_path %s/body;
                        proxy_temp_path %s/proxy;
                        fastcgi_temp_path %s/fastcgi;
                        uwsgi_temp_path %s/uwsgi;
                        scgi_temp_path %s/scgi;
                        %s
                        server {
                            listen 127.0.0.1:%d;
                            include %s;
                        }
                    }
                    """.formatted(NJS_MODULE, dir, dir, dir, dir, dir, dir, dir, upstream, port,
                    NGINX_DIR.resolve("jenkins-webhook.conf"));
        }

        private Process nginx(String... extra) throws IOException {
            String binary = List.of("/usr/sbin/nginx", "/usr/bin/nginx").stream().filter(p -> Files.isExecutable(Path.of(p)))
                    .findFirst().orElseThrow(() -> new AssertionError("nginx not found: apt-get install -y nginx libnginx-mod-http-js"));
            assertThat(Path.of(NJS_MODULE)).as("njs module: apt-get install -y libnginx-mod-http-js").isRegularFile();
            List<String> command = new ArrayList<>(launcher());
            command.addAll(List.of(binary, "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString()));
            command.addAll(List.of(extra));
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        }

        private void awaitListening() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(nginx.isAlive()).as(() -> "nginx exited: " + log()).isTrue();
                try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            throw new AssertionError("nginx did not listen on 127.0.0.1:" + port + ": " + log());
        }

        private String log() {
            try {
                return Files.readString(dir.resolve("error.log"));
            } catch (IOException e) {
                return "(no error log)";
            }
        }

        /** One HTTP/1.1 request from the given loopback source address, a delivery of its own; returns the status code. */
        int request(String from, String method, String path, String signature, String body) throws IOException {
            return request(from, method, path, signature, body, UUID.randomUUID().toString(), "");
        }

        /** The same with the given X-GitHub-Delivery (null: none) and extra header lines (each ending in CRLF). */
        int request(String from, String method, String path, String signature, String body, String delivery,
                    String extraHeaders) throws IOException {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(from), 0)) {
                socket.setSoTimeout(10_000);
                byte[] bytes = body.getBytes(UTF_8);
                StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: jenkins-hook.test\r\n"
                        + "Connection: close\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n"
                        + "Content-Length: " + bytes.length + "\r\n");
                if (signature != null) {
                    head.append("X-Hub-Signature-256: ").append(signature).append("\r\n");
                }
                if (delivery != null) {
                    head.append("X-GitHub-Delivery: ").append(delivery).append("\r\n");
                }
                head.append(extraHeaders);
                socket.getOutputStream().write(head.append("\r\n").toString().getBytes(UTF_8));
                socket.getOutputStream().write(bytes);
                String response = new String(socket.getInputStream().readAllBytes(), UTF_8);
                assertThat(response).startsWith("HTTP/1.1 ");
                return Integer.parseInt(response.substring(9, 12));
            }
        }

        @Test
        void aSignedDeliveryFromAnAllowedAddressReachesJenkinsIntact() throws Exception {
            reachedJenkins.clear();

            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, PAYLOAD), PAYLOAD)).isEqualTo(200);
            assertThat(reachedJenkins).containsExactly("POST /github-webhook/ " + PAYLOAD);
        }

        @Test
        void jenkinsGetsTheBodyAndGithubsHeadersWithoutTheQueryStringOrAnythingElse() throws Exception {
            reachedJenkins.clear();
            headersAtJenkins.clear();
            String payload = payload();

            assertThat(request("127.0.0.1", "POST", "/github-webhook/?token=x&job=Deploy", sign(SECRET, payload), payload,
                    UUID.randomUUID().toString(), "Cookie: JSESSIONID=stolen\r\nAuthorization: Basic YWRtaW46eA==\r\n"
                            + "X-Forwarded-User: admin\r\n")).isEqualTo(200);
            assertThat(reachedJenkins).containsExactly("POST /github-webhook/ " + payload);
            Map<String, List<String>> headers = headersAtJenkins.get(0);
            assertThat(headers).containsKeys("X-github-event", "X-github-delivery", "X-hub-signature-256", "Content-type")
                    .doesNotContainKeys("Cookie", "Authorization", "X-forwarded-user");
            assertThat(headers.get("X-hub-signature-256")).containsExactly(sign(SECRET, payload));
        }

        @Test
        void aDeliveryIsLetThroughOnceInTenMinutes() throws Exception {
            reachedJenkins.clear();
            String payload = payload();
            String delivery = UUID.randomUUID().toString();

            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, payload), payload, delivery, "")).isEqualTo(200);
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, payload), payload, delivery, ""))
                    .as("the same delivery again").isEqualTo(403);
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, payload), payload,
                    UUID.randomUUID().toString(), "")).as("the same signed body under a new delivery id").isEqualTo(403);
            String other = payload();
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, other), other, delivery, ""))
                    .as("a new body under a delivery id seen").isEqualTo(403);
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, other), other, null, ""))
                    .as("no delivery id").isEqualTo(403);
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, other), other, "../../x", ""))
                    .as("a delivery id that is no id").isEqualTo(403);
            assertThat(reachedJenkins).containsExactly("POST /github-webhook/ " + payload);
        }

        /** A push payload of its own (each accepted delivery is accepted once). */
        private static String payload() {
            return PAYLOAD.replace("}", ",\"nonce\":\"" + UUID.randomUUID() + "\"}");
        }

        @Test
        void aWrongOrMissingSignatureIsRefused() throws Exception {
            reachedJenkins.clear();

            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign("not-the-secret", PAYLOAD), PAYLOAD)).isEqualTo(403);
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", sign(SECRET, PAYLOAD + " "), PAYLOAD)).isEqualTo(403);
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", null, PAYLOAD)).isEqualTo(403);
            assertThat(request("127.0.0.1", "POST", "/github-webhook/", "sha256=", PAYLOAD)).isEqualTo(403);
            assertThat(reachedJenkins).isEmpty();
        }

        @Test
        void anAddressOutsideTheAllowlistIsRefusedEvenWithAValidSignature() throws Exception {
            reachedJenkins.clear();

            assertThat(request("127.0.0.2", "POST", "/github-webhook/", sign(SECRET, PAYLOAD), PAYLOAD)).isEqualTo(403);
            assertThat(reachedJenkins).isEmpty();
        }

        @Test
        void everyOtherPathAndMethodIsRefused() throws Exception {
            reachedJenkins.clear();
            String signature = sign(SECRET, PAYLOAD);

            for (String path : List.of("/", "/login", "/script", "/github-webhook", "/github-webhook/x", "/job/Deploy/build")) {
                assertThat(request("127.0.0.1", "POST", path, signature, PAYLOAD)).as(path).isEqualTo(403);
            }
            assertThat(request("127.0.0.1", "GET", "/github-webhook/", signature, "")).isEqualTo(403);
            assertThat(reachedJenkins).isEmpty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(UTF_8)));
    }

    @Test
    void theCommittedAllowlistHoldsOnlyPublicRanges() throws IOException {
        List<String> rules = Files.readAllLines(NGINX_DIR.resolve("github-hooks-allow.conf")).stream()
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule).matches("allow [0-9a-f.:]+/\\d+;");
            InetAddress network = InetAddress.getByName(rule.substring(6, rule.indexOf('/')));
            assertThat(network.isSiteLocalAddress() || network.isLoopbackAddress() || network.isLinkLocalAddress()
                    || network.isAnyLocalAddress() || (network.getAddress()[0] & 0xfe) == 0xfc).as(rule).isFalse();
        });
        assertThat(GroovySourcesTest.read(NGINX_DIR.resolve("jenkins-webhook.conf")))
                .containsPattern("include everbit/github-hooks-allow.conf;\\s*deny all;");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theContainerUpstreamIsJenkinsServiceAndPortOnTheNetworkReadmesNginxServiceJoins() throws IOException {
        Map<String, Object> compose = JenkinsServerConfigTest.yaml(REPO.resolve("deploy/jenkins/compose.yaml"));
        Matcher server = Pattern.compile("server ([a-z0-9-]+):(\\d+);")
                .matcher(GroovySourcesTest.read(NGINX_DIR.resolve("jenkins-upstream-container.conf")));
        assertThat(server.find()).as("a server line in jenkins-upstream-container.conf").isTrue();
        Map<String, Object> jenkins = JenkinsServerConfigTest.at(compose, "services", server.group(1));
        assertThat(jenkins).as("compose service " + server.group(1)).isNotNull();
        List<String> ports = JenkinsServerConfigTest.at(jenkins, "ports");
        assertThat(ports).extracting(p -> p.substring(p.lastIndexOf(':') + 1)).containsExactly(server.group(2));
        List<String> joined = JenkinsServerConfigTest.at(jenkins, "networks");
        assertThat(joined).hasSize(1);
        String network = JenkinsServerConfigTest.at(compose, "networks", joined.get(0), "name");

        String readme = GroovySourcesTest.read(REPO.resolve("README.md"));
        String section = readme.substring(readme.indexOf("### The webhook exception"));
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).as("README's Nginx-side compose snippet").isTrue();
        Map<String, Object> nginxSide = (Map<String, Object>) new Yaml().load(block.group(1));
        Map<String, Object> services = JenkinsServerConfigTest.at(nginxSide, "services");
        assertThat(services).hasSize(1);
        assertThat((List<String>) ((Map<String, Object>) services.values().iterator().next()).get("networks"))
                .contains("default", network);
        assertThat((Object) JenkinsServerConfigTest.at(nginxSide, "networks", network, "external")).isEqualTo(true);
    }
}
