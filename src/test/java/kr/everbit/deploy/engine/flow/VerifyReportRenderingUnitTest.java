package kr.everbit.deploy.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.health.ComposePsRow;
import org.junit.jupiter.api.Test;

class VerifyReportRenderingUnitTest {
    private final VerifyReport failed = new VerifyReport(false, List.of(
            new ProbeRow("url https://127.0.0.1:8443/", true, 1, 120, "HTTP 200, certificate expires in 10 days",
                    "the TLS certificate of 127.0.0.1 expires in 10 days: renew it now"),
            new ProbeRow("container server", false, 31, 30000, "restarting (exit 1, 4 restarts)", null)),
            30000, "probe 'container server' did not pass within 30s (last seen: restarting (exit 1, 4 restarts))",
            new PostDeployReport(List.of(new ComposePsRow("app-server-1", "server", "restarting", null, "Restarting (1) 2 seconds ago")),
                    List.of(), Map.of("server", List.of("boom", "token=****"))));

    @Test
    void theTableHasOneRowPerProbeThenTheReport() {
        List<String> lines = VerifyReportText.render(failed);
        assertThat(lines.subList(0, 3)).containsExactly(
                "PROBE                        RESULT  ATTEMPTS  TIME   LAST OBSERVATION",
                "url https://127.0.0.1:8443/  pass    1         0.1s   HTTP 200, certificate expires in 10 days",
                "container server             FAIL    31        30.0s  restarting (exit 1, 4 restarts)");
        assertThat(lines).contains(
                "warning: the TLS certificate of 127.0.0.1 expires in 10 days: renew it now",
                "verify FAILED: probe 'container server' did not pass within 30s (last seen: restarting (exit 1, 4 restarts)) after 30.0s",
                "containers of the compose project (compose ps):",
                "  NAME          SERVICE  STATE       HEALTH  STATUS",
                "  app-server-1  server   restarting  -       Restarting (1) 2 seconds ago",
                "last 200 log lines of server:",
                "  token=****");
    }

    @Test
    void theJsonObjectHasOkAndOneEntryPerProbe() throws Exception {
        JsonNode json = new ObjectMapper().readTree(VerifyReportJson.render(failed));
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("probes")).hasSize(2);
        JsonNode probe = json.get("probes").get(1);
        assertThat(probe.get("name").asText()).isEqualTo("container server");
        assertThat(probe.get("ok").asBoolean()).isFalse();
        assertThat(probe.get("attempts").asInt()).isEqualTo(31);
        assertThat(probe.get("elapsedMillis").asLong()).isEqualTo(30000);
        assertThat(probe.get("observed").asText()).isEqualTo("restarting (exit 1, 4 restarts)");
        assertThat(probe.has("warning")).isFalse();
        assertThat(json.at("/report/containers/0/state").asText()).isEqualTo("restarting");
        assertThat(json.at("/report/logs/server/1").asText()).isEqualTo("token=****");
    }

    @Test
    void aPassingReportWithoutReportHasNoReportKey() throws Exception {
        VerifyReport ok = new VerifyReport(true, List.of(new ProbeRow("container server", true, 1, 5, "running", null)), 5, null, null);
        JsonNode json = new ObjectMapper().readTree(VerifyReportJson.render(ok));
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.has("report")).isFalse();
        assertThat(json.has("failure")).isFalse();
        assertThat(VerifyReportText.render(ok)).last().isEqualTo("verify passed after 0.0s");
    }
}
