package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import hudson.AbortException;
import hudson.FilePath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.health.ContainerProbe;
import kr.everbit.deploy.engine.health.HttpProbe;
import kr.everbit.deploy.engine.health.NoDataPolicy;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.PromQuery;
import kr.everbit.deploy.engine.health.PrometheusProbe;
import kr.everbit.deploy.engine.health.TcpProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verifyHealth's probes from the global configuration or the step, and its URL probes sent from the agent. */
class VerifyHealthUnitTest {
    @TempDir
    Path workspace;
    private final TestListener log = new TestListener();
    private final TestLauncher launcher = new TestLauncher(log);
    private HttpServer server;

    @BeforeEach
    void serveHealth() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String health() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/health";
    }

    private Object run(VerifyHealthStep step, EverbitGlobalConfiguration defaults) throws Exception {
        StepRuntime runtime = new StepRuntime(log, launcher, new FilePath(workspace.toFile()), System.getenv(),
                new TestCredentials(), "jenkins everbit/server#7", defaults);
        return ((EverbitExecution<?>) step.start(null)).runWith(runtime);
    }

    @Test
    void theProbesComeFromTheConfigurationUnlessTheStepNamesThem() throws AbortException {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setHealthUrls("https://api.everbit.kr/");
        c.setHealthContainers("server\nnginx");
        c.setHealthTcp("127.0.0.1:9092");
        c.setPrometheusUrl("http://127.0.0.1:9090");
        c.setPrometheusQuery("sum(rate(errors[1m]))");
        c.setPrometheusMax("0.05");
        ProbePlan fromConfig = new VerifyHealthStep().plan(c);
        assertThat(fromConfig.probes()).containsExactly(new HttpProbe.Spec(URI.create("https://api.everbit.kr/")),
                new ContainerProbe.Spec("server"), new ContainerProbe.Spec("nginx"), new TcpProbe.Spec("127.0.0.1", 9092),
                new PrometheusProbe.Spec(new PromQuery(URI.create("http://127.0.0.1:9090"), "sum(rate(errors[1m]))", 0.05),
                        false, NoDataPolicy.FAIL));
        assertThat(fromConfig.needsVm()).isTrue();

        VerifyHealthStep step = new VerifyHealthStep();
        step.setUrls(List.of("https://www.everbit.kr/"));
        step.setPrometheus(List.of(new PrometheusLimit("http://127.0.0.1:9090", "up", 1)));
        step.setTcp(List.of("[::1]:5432"));
        step.setTimeout(30);
        ProbePlan fromStep = step.plan(c);
        assertThat(fromStep.probes()).containsExactly(new HttpProbe.Spec(URI.create("https://www.everbit.kr/")),
                new ContainerProbe.Spec("server"), new ContainerProbe.Spec("nginx"), new TcpProbe.Spec("::1", 5432),
                new PrometheusProbe.Spec(new PromQuery(URI.create("http://127.0.0.1:9090"), "up", 1), false, NoDataPolicy.FAIL));
        assertThat(step.options(c).timeoutSeconds()).isEqualTo(30);
        assertThat(step.options(c).settleSeconds()).isZero();
    }

    @Test
    void aPrometheusQueryWithoutItsLimitIsNamed() {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setPrometheusUrl("http://127.0.0.1:9090");
        c.setPrometheusQuery("up");
        assertThatThrownBy(() -> new VerifyHealthStep().plan(c)).hasMessageStartingWith("prometheusMax: is not set");
    }

    @Test
    void withoutProbesTheStepSaysWhichItTakes() {
        assertThatThrownBy(() -> run(new VerifyHealthStep(), new EverbitGlobalConfiguration()))
                .isInstanceOf(AbortException.class)
                .hasMessage("verifyHealth: name at least one probe: urls:, remoteUrls:, containers:, tcp: or prometheus:");
    }

    @Test
    void aUrlWithCredentialsIsRefusedInStepTerms() {
        VerifyHealthStep step = new VerifyHealthStep();
        step.setUrls(List.of("https://user:pw@api.everbit.kr/"));
        assertThatThrownBy(() -> run(step, new EverbitGlobalConfiguration()))
                .hasMessageStartingWith("verifyHealth: urls: 'https://****@api.everbit.kr/' must not carry a user or password")
                .hasMessageNotContaining("pw");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHealthyUrlIsFetchedFromTheAgentAndReported() throws Exception {
        VerifyHealthStep step = new VerifyHealthStep();
        step.setUrls(List.of(health()));
        Map<String, Object> report = (Map<String, Object>) run(step, new EverbitGlobalConfiguration());
        assertThat(report).containsEntry("ok", true);
        assertThat((List<?>) report.get("probes")).singleElement()
                .satisfies(p -> assertThat((Map<String, Object>) p).containsEntry("name", "url " + health()).containsEntry("ok", true));
        assertThat(launcher.commands).isNotEmpty().allSatisfy(argv -> assertThat(argv.get(0)).isEqualTo("sh"));
        assertThat(log.text()).contains("verify 1 probe ✓").contains("PROBE");
    }

    @Test
    void anUnhealthyUrlFailsTheStepWithTheProbeTable() {
        VerifyHealthStep step = new VerifyHealthStep();
        String missing = "http://127.0.0.1:" + server.getAddress().getPort() + "/nothing-here";
        step.setUrls(List.of(missing));
        step.setTimeout(2);
        assertThatThrownBy(() -> run(step, new EverbitGlobalConfiguration()))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("verifyHealth: probe 'url " + missing + "' did not pass within 2s (last seen: HTTP 404")
                .hasMessageContaining("PROBE")
                .hasMessageContaining("FAIL");
    }
}
