package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.FilePath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kr.everbit.deploy.e2e.ProxyNginx;
import kr.everbit.deploy.sandbox.Sandbox;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps as a Jenkinsfile runs them, against the sandbox VM (real sshd, dockerd, registry and compose on
 * loopback): every process through the Launcher, every secret from the credential store, defaults from the global
 * configuration. The build log, the command lines and the workspace are checked for secrets.
 */
class JenkinsStepsE2ETest {
    private final Sandbox sandbox = Sandbox.get();
    private final TestListener log = new TestListener();
    private final TestLauncher launcher = new TestLauncher(log);
    private final String registryToken = sandbox.registryToken();
    private final String privateKey;
    private final Path deployDir = sandbox.newDeployDir("jenkins-steps");
    private final int port = freePort();
    private final String image = sandbox.registryHost() + "/jenkins/" + deployDir.getFileName();
    private final TestCredentials credentials;
    @TempDir
    Path jobDir;
    private Path workspace;

    JenkinsStepsE2ETest() throws IOException {
        privateKey = Files.readString(sandbox.sshIdentity());
        credentials = new TestCredentials()
                .sshKey("vm-deploy-key", sandbox.sshUser(), privateKey, null)
                .secretFile("vm-known-hosts", Files.readString(sandbox.sshKnownHosts()))
                .usernamePassword("registry", sandbox.registryUser(), registryToken);
        sandbox.writeAsSshUser(deployDir.resolve("compose.yaml"), String.join("\n",
                "services:",
                "  server:",
                "    image: " + image + ":unset",
                "    network_mode: host",
                "    environment:",
                "      PORT: \"" + port + "\"",
                ""));
    }

    @AfterEach
    void removeContainers() {
        sandbox.removeContainersOf(deployDir);
    }

    /** Manage Jenkins » System » Everbit deploy, filled in once; the Jenkinsfile then names only the SHA. */
    private EverbitGlobalConfiguration everbit() {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setHost(sandbox.sshHost());
        c.setPort(sandbox.sshPort());
        c.setSshCredentialsId("vm-deploy-key");
        c.setKnownHostsCredentialsId("vm-known-hosts");
        c.setDir(deployDir.toString());
        c.setComposeFiles("compose.yaml");
        c.setService("server");
        c.setImage(image);
        c.setRegistryCredentialsId("registry");
        c.setHealthTimeout(30);
        return c;
    }

    private Object run(Step step) throws Exception {
        return run(step, everbit());
    }

    private Object run(Step step, EverbitGlobalConfiguration page) throws Exception {
        StepRuntime runtime = new StepRuntime(log, launcher, new FilePath(workspace.toFile()), System.getenv(),
                credentials, "jenkins everbit/server#7", page);
        return ((EverbitExecution<?>) step.start(null)).runWith(runtime);
    }

    private void buildAndPush(String sha) throws Exception {
        BuildImageStep build = new BuildImageStep(sha);
        build.setBuildArgs(Map.of("RELEASE", sha));
        assertThat(run(build)).isEqualTo(image + ":" + sha);
        assertThat((String) run(new PushGhcrStep(sha))).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void buildPushDeployListAndRollBackThroughTheSteps() throws Exception {
        workspace = Files.createDirectories(jobDir.resolve("workspace/server"));
        copy(sandbox.appContext(), workspace);
        String first = randomSha();
        String second = randomSha();

        buildAndPush(first);
        assertThat(run(new SshComposeUpStep(first))).isEqualTo(releases(null, first));
        assertThat(serving()).isEqualTo(first);
        assertThat(verify().get("ok")).isEqualTo(true);

        buildAndPush(second);
        assertThat(run(new SshComposeUpStep(second))).isEqualTo(releases(first, second));
        assertThat(serving()).isEqualTo(second);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) run(new EverbitReleasesStep());
        assertThat(history).extracting(r -> r.get("sha") + " " + r.get("action") + " " + r.get("result"))
                .containsExactly(second + " deploy success", first + " deploy success");
        assertThat(history.get(0).get("at")).asString().isNotBlank();
        EverbitReleasesStep newest = new EverbitReleasesStep();
        newest.setLimit(1);
        assertThat((List<?>) run(newest)).hasSize(1);

        RollbackToShaStep rollback = new RollbackToShaStep("previous");
        rollback.setReason("5xx after deploy");
        assertThat(run(rollback)).isEqualTo(first);
        assertThat(serving()).isEqualTo(first);

        assertThat(log.text())
                .contains("[everbit] build " + image + ":" + first + " ✓")
                .contains("[everbit] take the deploy lock ✓")
                .containsPattern("\\[everbit\\] compose up and wait healthy ✓ \\d+\\.\\ds");
        assertNoSecretLeft();
    }

    /**
     * {@code switch: 'proxy'} with a real Nginx in front (the sandbox layout: host network, a port per slot): the
     * mode set once on the global page, the Nginx commands and ports given to the step.
     */
    @Test
    void sshComposeUpInProxyModeSwitchesNginxToTheNewRelease() throws Exception {
        workspace = Files.createDirectories(jobDir.resolve("workspace/server"));
        copy(sandbox.appContext(), workspace);
        String first = randomSha();
        String second = randomSha();
        buildAndPush(first);
        buildAndPush(second);
        int blue = freePort();
        int green = freePort();
        try (ProxyNginx nginx = new ProxyNginx(sandbox, deployDir, "server 127.0.0.1:1;\n")) {
            EverbitGlobalConfiguration page = everbit();
            page.setSwitch("proxy");
            page.setProxyHost("127.0.0.1");
            page.setProxyPortEnv("PORT");
            page.setDrain(0);
            page.setWarm(60);
            assertThat(run(proxyUp(first, nginx, blue, green), page)).isEqualTo(releases(null, first));
            assertThat(get(nginx.url("/release"))).isEqualTo(first);

            assertThat(run(proxyUp(second, nginx, blue, green), page)).isEqualTo(releases(first, second));
            assertThat(get(nginx.url("/release"))).as("Nginx serves the new release").isEqualTo(second);
            assertThat(Files.readString(deployDir.resolve(".everbit/nginx/upstream.conf")))
                    .contains("server 127.0.0.1:" + green + ";");
            assertThat(get("http://127.0.0.1:" + blue + "/release")).as("the release before stays warm").isEqualTo(first);
        }
        assertThat(log.text()).contains("server-green");
        assertNoSecretLeft();
    }

    private static SshComposeUpStep proxyUp(String sha, ProxyNginx nginx, int blue, int green) {
        SshComposeUpStep up = new SshComposeUpStep(sha);
        up.setProxyTest(nginx.testCommand());
        up.setProxyReload(nginx.reloadCommand());
        up.setProxyPort(List.of(blue, green));
        return up;
    }

    @Test
    void aWrongHostKeyIsRefusedAndNamed() throws Exception {
        workspace = Files.createDirectories(jobDir.resolve("workspace/server"));
        SshComposeUpStep up = new SshComposeUpStep(randomSha());
        up.setKnownHosts(Files.readString(sandbox.sshKnownHostsWrong()));
        assertThatThrownBy(() -> run(up))
                .hasMessageStartingWith("sshComposeUp: the host key of " + sandbox.sshUser() + "@" + sandbox.sshHost());
        assertNoSecretLeft();
    }

    /** Every kind of probe: from the agent, on the VM, the container, the app's port from the VM, a Prometheus limit. */
    private Map<?, ?> verify() throws Exception {
        VerifyHealthStep verify = new VerifyHealthStep();
        verify.setUrls(List.of("http://127.0.0.1:" + port + "/release"));
        verify.setRemoteUrls(List.of("http://127.0.0.1:" + port + "/actuator/health"));
        verify.setContainers(List.of("server"));
        verify.setTcp(List.of("127.0.0.1:" + port));
        verify.setPrometheus(List.of(new PrometheusLimit(sandbox.prometheusUrl().toString(), "vector(0)", 0.5)));
        verify.setTimeout(30);
        Map<?, ?> report = (Map<?, ?>) run(verify);
        assertThat((List<?>) report.get("probes")).hasSize(5);
        return report;
    }

    /** Not in the log, not on any command line, and nothing left beside the workspace (the known_hosts file). */
    private void assertNoSecretLeft() throws IOException {
        assertThat(log.text()).doesNotContain(registryToken);
        privateKey.lines().filter(l -> l.length() >= 16).forEach(line -> assertThat(log.text()).doesNotContain(line));
        assertThat(launcher.commands).allSatisfy(argv -> {
            assertThat(String.join(" ", argv)).doesNotContain(registryToken).doesNotContain("PRIVATE KEY");
        });
        Path tmp = workspace.resolveSibling(workspace.getFileName() + "@tmp");
        if (Files.exists(tmp)) {
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left).isEmpty();
            }
        }
    }

    private static Map<String, Object> releases(String previous, String current) {
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("previous", previous);
        r.put("current", current);
        return r;
    }

    private String serving() throws IOException, InterruptedException {
        return get("http://127.0.0.1:" + port + "/release");
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body().strip();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String randomSha() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
