package kr.everbit.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.flow.ComposeUp;
import kr.everbit.deploy.engine.flow.ProbeRow;
import kr.everbit.deploy.engine.flow.Verify;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.flow.VerifyReport;
import kr.everbit.deploy.engine.flow.VerifyReportText;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.health.ComposePsRow;
import kr.everbit.deploy.engine.health.ContainerProbe;
import kr.everbit.deploy.engine.health.HealthScripts;
import kr.everbit.deploy.engine.health.HttpProbe;
import kr.everbit.deploy.engine.health.NoDataPolicy;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.PromQuery;
import kr.everbit.deploy.engine.health.PrometheusProbe;
import kr.everbit.deploy.engine.health.RemoteHttpProbe;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The probes against real components of the sandbox: Nginx terminating TLS with a test CA (and an expired and a
 * foreign certificate), the app's actuator fetched on the VM over the SSH session, compose v1 containers read
 * with docker inspect, and a real Prometheus scraping the app.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
@ResourceLock(Sandbox.APP_PORT)
class VerifyE2ETest {
    static final String RATIO_5XX = "sum(rate(http_server_requests_seconds_count{status=~\"5..\"}[5s]))"
            + " / sum(rate(http_server_requests_seconds_count[5s]))";
    private static final Sandbox SANDBOX = Sandbox.get();
    private static String repository;
    private static String good;
    private final HealthFixture.Lines progress = new HealthFixture.Lines();
    private HealthFixture fixture;

    @BeforeAll
    static void buildTheRelease() {
        repository = SANDBOX.registryHost() + "/e2e/verify";
        good = HealthFixture.release(SANDBOX, repository, Map.of());
    }

    @AfterEach
    void removeContainers() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aHealthyReleasePassesEveryProbeAndTheReportShowsItsContainersAndLogs() {
        fixture = new HealthFixture(SANDBOX, "verify-healthy", SANDBOX.appPort(), repository, repository + ":" + good);
        try (Vm vm = fixture.connect(progress)) {
            new ComposeUp(progress).run(vm, fixture.up(good));
            ProbePlan plan = new ProbePlan(List.of(new HttpProbe.Spec(SANDBOX.nginxUrl().resolve("/release")),
                    new RemoteHttpProbe.Spec(fixture.local("/actuator/health")),
                    new ContainerProbe.Spec("server"),
                    new ContainerProbe.Spec("db"),
                    new PrometheusProbe.Spec(new PromQuery(SANDBOX.prometheusUrl(), RATIO_5XX, 0.05), false, NoDataPolicy.FAIL)), SANDBOX.tlsCaFile(), 5);
            VerifyReport report = new Verify(progress).run(plan.build(vm.shell(), new HealthScripts(vm.scripts())),
                    new VerifyOptions(40, 250, 3, true, List.of("server")), vm);

            assertThat(report.ok()).as(String.join("\n", VerifyReportText.render(report))).isTrue();
            assertThat(report.probes()).extracting(ProbeRow::observed).satisfiesExactly(
                    url -> assertThat(url).matches("HTTP 200, certificate expires in \\d+ days"),
                    actuator -> assertThat(actuator).isEqualTo("HTTP 200, status UP"),
                    server -> assertThat(server).isEqualTo("running, healthy"),
                    db -> assertThat(db).isEqualTo("running"),
                    metric -> assertThat(metric).startsWith("query '" + RATIO_5XX + "' = 0.001").endsWith("(max 0.05)"));
            assertThat(report.elapsedMillis()).isGreaterThanOrEqualTo(3000);
            assertThat(report.report().containers()).extracting(ComposePsRow::state).containsOnly("running");
            assertThat(report.report().containers()).extracting(ComposePsRow::health).contains("healthy");
            assertThat(report.report().logs().get("server")).anyMatch(l -> l.contains("sandbox-app: release=" + good));
        }
    }

    @Test
    void readmesPrometheusExampleYieldsZeroOnAQuietService() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher example = Pattern.compile("--query '([^']+)' \\\\\n +--max ([0-9.]+)").matcher(readme);
        assertThat(example.find()).as("README's deploy example with --query and --max").isTrue();
        String query = example.group(1);
        // Evaluated at a time before anything was scraped, the sandbox Prometheus is a service without any request
        // series yet. (The sandbox app always exports a 5xx counter, and its port is shared: this instant is not.)
        String quiet = "&time=1000000000";
        assertThat(instantQuery("sum(rate(http_server_requests_seconds_count{status=~\"5..\"}[1m]))"
                + " / sum(rate(http_server_requests_seconds_count[1m]))", quiet))
                .as("the plain ratio: no data, which --no-data fail refuses").isEmpty();
        JsonNode result = instantQuery(query, quiet);
        assertThat(result).as("README's query").hasSize(1);
        assertThat(Double.parseDouble(result.at("/0/value/1").asText())).as("the ratio, within --max " + example.group(2))
                .isZero();
    }

    /** The result array of an instant query to the sandbox Prometheus; {@code more} adds parameters. */
    private static JsonNode instantQuery(String query, String more) throws Exception {
        URI uri = URI.create(SANDBOX.prometheusUrl() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + more);
        JsonNode answer = new ObjectMapper().readTree(SANDBOX.httpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(answer.at("/status").asText()).as(answer.toString()).isEqualTo("success");
        return answer.at("/data/result");
    }

    @Test
    void anExpiredOrForeignCertificateFailsWithTheReason() {
        ProbePlan plan = new ProbePlan(List.of(new HttpProbe.Spec(SANDBOX.nginxExpiredUrl()),
                new HttpProbe.Spec(SANDBOX.nginxOtherCaUrl())), SANDBOX.tlsCaFile(), 5);
        VerifyReport report = new Verify(progress).run(plan.build(null, null), new VerifyOptions(1, 200, 0, false, List.of()), null);
        assertThat(report.ok()).isFalse();
        assertThat(report.probes().get(0).observed()).contains("the TLS certificate of 127.0.0.1 has expired (NotAfter: ");
        assertThat(report.probes().get(1).observed()).contains("is not signed by a trusted CA").contains("{caFile}");
        assertThat(report.failure()).startsWith("probe 'url " + SANDBOX.nginxExpiredUrl() + "' did not pass within 1s");

        ProbePlan systemTrust = new ProbePlan(List.of(new HttpProbe.Spec(SANDBOX.nginxUrl())), null, 5);
        VerifyReport untrusted = new Verify(progress).run(systemTrust.build(null, null), new VerifyOptions(1, 200, 0, false, List.of()), null);
        assertThat(untrusted.probes().get(0).observed()).contains("is not signed by a trusted CA");
    }

    @Test
    void anUnreachablePrometheusNeverPassesFromHereOrFromTheVm() {
        fixture = new HealthFixture(SANDBOX, "verify-prom-down", HealthFixture.freePort(), repository, repository + ":" + good);
        URI closed = URI.create("http://127.0.0.1:" + HealthFixture.freePort());
        PromQuery query = new PromQuery(closed, RATIO_5XX, 0.05);
        VerifyOptions once = new VerifyOptions(1, 200, 0, false, List.of());
        VerifyReport fromHere = new Verify(progress).run(
                new ProbePlan(List.of(new PrometheusProbe.Spec(query, false, NoDataPolicy.PASS)), null, 5)
                        .build(null, null), once, null);
        assertThat(fromHere.ok()).isFalse();
        assertThat(fromHere.probes().get(0).observed()).startsWith("Prometheus at " + closed + " unreachable (connection to 127.0.0.1:")
                .endsWith("query '" + RATIO_5XX + "' not evaluated");
        try (Vm vm = fixture.connect(progress)) {
            VerifyReport fromVm = new Verify(progress).run(new ProbePlan(List.of(new PrometheusProbe.Spec(query, true, NoDataPolicy.PASS)), null, 5)
                    .build(vm.shell(), new HealthScripts(vm.scripts())), once, vm);
            assertThat(fromVm.ok()).isFalse();
            assertThat(fromVm.probes().get(0).name()).endsWith("(from the VM)");
            assertThat(fromVm.probes().get(0).observed()).contains("unreachable (curl: (7)").endsWith("not evaluated");
            assertThat(fromVm.report().containers()).as("compose ps of a project with no containers").isEmpty();
        }
    }

    @Test
    void aQueryWithoutSeriesIsNoDataAndTheOptionDecides() {
        PromQuery query = new PromQuery(SANDBOX.prometheusUrl(), "everbit_metric_that_does_not_exist", 1);
        VerifyOptions once = new VerifyOptions(1, 200, 0, false, List.of());
        VerifyReport fail = new Verify(progress).run(new ProbePlan(List.of(new PrometheusProbe.Spec(query, false, NoDataPolicy.FAIL)), null, 5)
                .build(null, null), once, null);
        assertThat(fail.ok()).isFalse();
        assertThat(fail.probes().get(0).observed()).startsWith("query 'everbit_metric_that_does_not_exist' returned no data");
        VerifyReport pass = new Verify(progress).run(new ProbePlan(List.of(new PrometheusProbe.Spec(query, false, NoDataPolicy.PASS)), null, 5)
                .build(null, null), once, null);
        assertThat(pass.ok()).isTrue();
    }

    @Test
    void aServiceWithoutAContainerFailsAndSaysSo() {
        fixture = new HealthFixture(SANDBOX, "verify-no-container", HealthFixture.freePort(), repository, repository + ":" + good);
        try (Vm vm = fixture.connect(progress)) {
            VerifyReport report = new Verify(progress).run(new ProbePlan(List.of(new ContainerProbe.Spec("server")), null, 5)
                    .build(vm.shell(), new HealthScripts(vm.scripts())),
                    new VerifyOptions(1, 200, 0, false, List.of()), vm);
            assertThat(report.ok()).isFalse();
            assertThat(report.probes().get(0).observed()).isEqualTo("no container for service server");
        }
    }
}
