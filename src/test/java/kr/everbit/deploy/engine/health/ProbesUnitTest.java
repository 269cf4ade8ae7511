package kr.everbit.deploy.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.engine.remote.ShellResult;
import org.junit.jupiter.api.Test;

/** The probes' verdicts on canned answers; the answers come from a lambda, not from a server. */
class ProbesUnitTest {
    private static final URI SITE = URI.create("https://api.everbit.kr/");
    private static final URI ACTUATOR = URI.create("http://127.0.0.1:8080/actuator/health");

    @Test
    void httpPassesOn2xxAnd3xxAndReportsTheCertificate() {
        assertThat(new HttpProbe(SITE, u -> new HttpAnswer(200, "", 80L, null)).check())
                .isEqualTo(Observation.pass("HTTP 200, certificate expires in 80 days"));
        assertThat(new HttpProbe(SITE, u -> new HttpAnswer(301, "", 80L, null)).check().ok()).isTrue();
    }

    @Test
    void httpFailsOn4xx5xxAndOnNoAnswer() {
        Observation failed = new HttpProbe(SITE, u -> new HttpAnswer(502, "", 80L, null)).check();
        assertThat(failed.ok()).isFalse();
        assertThat(failed.observed()).isEqualTo("HTTP 502, certificate expires in 80 days (expected 2xx or 3xx)");
        Observation refused = new HttpProbe(SITE, u -> HttpAnswer.failed("the TLS certificate of api.everbit.kr has expired")).check();
        assertThat(refused.ok()).isFalse();
        assertThat(refused.observed()).contains("has expired");
    }

    @Test
    void httpWarnsWhenTheCertificateHasFewerThan14DaysLeft() {
        Observation seen = new HttpProbe(SITE, u -> new HttpAnswer(200, "", 13L, null)).check();
        assertThat(seen.ok()).isTrue();
        assertThat(seen.warning()).contains("expires in 13 days").contains("certbot renew");
        assertThat(new HttpProbe(SITE, u -> new HttpAnswer(200, "", 14L, null)).check().warning()).isNull();
    }

    @Test
    void remoteUrlPassesOn2xxWithStatusUpOrWithoutStatus() {
        assertThat(new RemoteHttpProbe(ACTUATOR, u -> new HttpAnswer(200, "{\"status\":\"UP\"}", null, null)).check())
                .isEqualTo(Observation.pass("HTTP 200, status UP"));
        assertThat(new RemoteHttpProbe(ACTUATOR, u -> new HttpAnswer(204, "", null, null)).check().ok()).isTrue();
    }

    @Test
    void remoteUrlFailsOnStatusDownEvenWith200AndNamesTheComponent() {
        Observation seen = new RemoteHttpProbe(ACTUATOR, u -> new HttpAnswer(200,
                "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\"}}}", null, null)).check();
        assertThat(seen.ok()).isFalse();
        assertThat(seen.observed()).isEqualTo("HTTP 200, status DOWN (db: DOWN) (expected status UP)");
    }

    @Test
    void remoteUrlFailsOn3xxAnd5xx() {
        assertThat(new RemoteHttpProbe(ACTUATOR, u -> new HttpAnswer(302, "", null, null)).check().ok()).isFalse();
        assertThat(new RemoteHttpProbe(ACTUATOR, u -> new HttpAnswer(503, "{\"status\":\"DOWN\"}", null, null)).check().observed())
                .isEqualTo("HTTP 503, status DOWN (expected 2xx)");
    }

    @Test
    void prometheusPassesWhileEverySampleIsAtOrBelowTheLimit() {
        PrometheusProbe probe = prometheus("0.05", NoDataPolicy.FAIL);
        assertThat(probe.isMetric()).isTrue();
        Observation seen = probe.check();
        assertThat(seen.ok()).isTrue();
        assertThat(seen.observed()).isEqualTo("query 'job:http_5xx:ratio1m' = 0.05{job=\"app\"} (max 0.05)");
    }

    @Test
    void valuesAreShortButNeverRoundedOntoTheLimit() {
        assertThat(PromValues.format(9.999999999999998E-4)).isEqualTo("0.001");
        assertThat(PromValues.format(0.2)).isEqualTo("0.2");
        assertThat(PromValues.format(3)).isEqualTo("3");
        assertThat(PromValues.format(0.0500000001, 0.05)).isEqualTo("0.0500000001");
        assertThat(PromValues.format(Double.POSITIVE_INFINITY, 0.05)).isEqualTo("+Inf");
    }

    @Test
    void prometheusFailureNamesTheQueryAndTheValueItSaw() {
        Observation seen = prometheus("0.3", NoDataPolicy.FAIL).check();
        assertThat(seen.ok()).isFalse();
        assertThat(seen.observed()).isEqualTo("query 'job:http_5xx:ratio1m' = 0.3{job=\"app\"} (max 0.05)");
    }

    @Test
    void noDataIsReportedAsSuchAndTheOptionDecides() {
        String empty = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
        Observation failed = promProbe(u -> new HttpAnswer(200, empty, null, null), NoDataPolicy.FAIL).check();
        assertThat(failed.ok()).isFalse();
        assertThat(failed.observed()).startsWith("query 'job:http_5xx:ratio1m' returned no data ({noData} fail");
        Observation passed = promProbe(u -> new HttpAnswer(200, empty, null, null), NoDataPolicy.PASS).check();
        assertThat(passed).isEqualTo(Observation.pass("query 'job:http_5xx:ratio1m' returned no data ({noData} pass)"));
    }

    @Test
    void anUnreachablePrometheusNeverPasses() {
        Observation seen = promProbe(u -> HttpAnswer.failed("connection to 127.0.0.1:9 refused or failed"), NoDataPolicy.PASS).check();
        assertThat(seen.ok()).isFalse();
        assertThat(seen.observed()).isEqualTo("Prometheus at http://127.0.0.1:9090 unreachable (connection to 127.0.0.1:9"
                + " refused or failed): query 'job:http_5xx:ratio1m' not evaluated");
    }

    @Test
    void aRejectedQueryOrAnAnswerThatIsNotPrometheusFails() {
        Observation rejected = promProbe(u -> new HttpAnswer(400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}", null, null), NoDataPolicy.PASS).check();
        assertThat(rejected.ok()).isFalse();
        assertThat(rejected.observed()).isEqualTo("Prometheus rejected query 'job:http_5xx:ratio1m' (HTTP 400): bad_data: parse error");
        Observation proxy = promProbe(u -> new HttpAnswer(502, "<html>Bad Gateway</html>", null, null), NoDataPolicy.PASS).check();
        assertThat(proxy.ok()).isFalse();
        assertThat(proxy.observed()).contains("answered HTTP 502 without a query result");
    }

    @Test
    void theQueryIsUrlEncodedUnderTheServersPath() {
        PromQuery q = new PromQuery(URI.create("http://127.0.0.1:9090/prom/"), "sum(rate(x{code=~\"5..\"}[1m]))", 0.05);
        assertThat(q.queryUri().toString())
                .isEqualTo("http://127.0.0.1:9090/prom/api/v1/query?query=sum%28rate%28x%7Bcode%3D%7E%225..%22%7D%5B1m%5D%29%29");
        assertThat(q.maxText()).isEqualTo("0.05");
    }

    @Test
    void containerProbePassesWhenEveryContainerRunsHealthy() {
        ContainerProbe probe = new ContainerProbe(s -> new ShellResult(0, Fixtures.lines("inspect-server-and-oneoff.json")),
                scripts(), "server");
        assertThat(probe.name()).isEqualTo("container server");
        assertThat(probe.check()).isEqualTo(Observation.pass("running, healthy"));
    }

    @Test
    void containerProbeFailsOnARestartLoopOrNoContainer() {
        assertThat(new ContainerProbe(s -> new ShellResult(0, Fixtures.lines("inspect-restarting.json")), scripts(), "kafka")
                .check()).isEqualTo(Observation.fail("restarting (exit 1, 3 restarts)"));
        assertThat(new ContainerProbe(s -> new ShellResult(0, List.of(HealthScripts.NO_CONTAINER)), scripts(), "kafka")
                .check()).isEqualTo(Observation.fail("no container for service kafka"));
        assertThat(new ContainerProbe(s -> new ShellResult(1, List.of("ERROR: No such service: kafka")), scripts(), "kafka")
                .check().observed()).isEqualTo("compose ps failed on the VM: ERROR: No such service: kafka");
    }

    @Test
    void badProbeInputIsRefusedBeforeAnythingIsContacted() {
        assertThatThrownBy(() -> ProbeUrls.parse("--url", "api.everbit.kr")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--url 'api.everbit.kr' must be an absolute http:// or https:// URL");
        assertThatThrownBy(() -> ProbeUrls.parse("--url", "https://user:pw@api.everbit.kr/"))
                .hasMessageContaining("must not carry a user or password");
        assertThatThrownBy(() -> ServiceNames.require("--container", "a;rm")).hasMessageContaining("not a compose service name");
        assertThatThrownBy(() -> new PromQuery(URI.create("http://127.0.0.1:9090"), " ", 1)).hasMessageContaining("{query}");
        assertThatThrownBy(() -> NoDataPolicy.of("maybe")).hasMessageContaining("'fail' or 'pass'");
        assertThatThrownBy(() -> new ProbePlan(List.of(), null, 5))
                .hasMessageContaining("name at least one probe");
    }

    private static PrometheusProbe prometheus(String value, NoDataPolicy noData) {
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"job\":\"app\"},"
                + "\"value\":[1771030923.1,\"" + value + "\"]}]}}";
        return promProbe(u -> new HttpAnswer(200, body, null, null), noData);
    }

    private static PrometheusProbe promProbe(HttpGet http, NoDataPolicy noData) {
        return new PrometheusProbe(new PromQuery(URI.create("http://127.0.0.1:9090"), "job:http_5xx:ratio1m", 0.05), http,
                noData, false);
    }

    private static HealthScripts scripts() {
        return new HealthScripts(new RemoteScripts(new ComposeProject("~/app", List.of("docker/compose.yaml"), "server",
                ImageRef.of("127.0.0.1:5000/everbit/server"))));
    }
}
