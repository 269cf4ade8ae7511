package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.remote.RecordedCompose;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@code verify} and {@code deploy} typed as an operator would, against the sandbox (Nginx 443 stand-in, actuator, Prometheus). */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
@ResourceLock(Sandbox.APP_PORT)
class VerifyAndDeployCliE2ETest {
    private static final Sandbox SANDBOX = Sandbox.get();
    private static String repository;
    private static String good;
    private static String errors;
    private final List<HealthFixture> fixtures = new ArrayList<>();

    @BeforeAll
    static void buildTheReleases() {
        repository = SANDBOX.registryHost() + "/e2e/cli-health";
        good = HealthFixture.release(SANDBOX, repository, Map.of());
        errors = HealthFixture.release(SANDBOX, repository, Map.of("ERRORS", "high"));
    }

    @AfterEach
    void removeContainers() {
        fixtures.forEach(HealthFixture::close);
    }

    @Test
    void deployPassesVerifyAndVerifyPrintsTheTableAndJson() throws Exception {
        HealthFixture vm = fixture("cli-verify");
        DeployFixture.Run deployed = cli(args(List.of("deploy", "--sha", good), conn(vm), compose(), login(), probes(vm),
                List.of("--timeout", "40", "--interval", "250", "--settle", "2")));
        assertThat(deployed.exit()).as(deployed.all()).isZero();
        assertThat(deployed.out()).startsWith(good + " sha256:");

        DeployFixture.Run table = cli(args(List.of("verify"), conn(vm), List.of("--compose", "compose.yaml"), probes(vm),
                List.of("--timeout", "20", "--interval", "250", "--report", "--logs", "server")));
        assertThat(table.exit()).as(table.all()).isZero();
        assertThat(table.out()).startsWith("PROBE").containsPattern("url " + SANDBOX.nginxUrl() + "/ +pass")
                .contains("certificate expires in").contains("status UP").contains("running, healthy")
                .contains("containers of the compose project (compose ps):").contains("last 200 log lines of server:")
                .containsPattern("verify passed after \\d+\\.\\ds");

        DeployFixture.Run json = cli(args(List.of("verify"), conn(vm), List.of("--compose", "compose.yaml"), probes(vm),
                List.of("--timeout", "20", "--interval", "250", "--json")));
        assertThat(json.exit()).as(json.all()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("probes")).hasSize(5);
        for (JsonNode probe : report.get("probes")) {
            assertThat(probe.get("ok").asBoolean()).isTrue();
            assertThat(probe.has("name") && probe.has("attempts") && probe.has("elapsedMillis") && probe.has("observed")).isTrue();
        }
    }

    @Test
    void verifyWithoutComposeUsesTheComposeFilesTheLastDeployRecordedOnTheVm() {
        // Only the VM's view counts here: a port of its own, not the one Nginx and Prometheus watch.
        HealthFixture vm = new HealthFixture(SANDBOX, "cli-verify-recorded", HealthFixture.freePort(), repository, repository + ":" + good);
        fixtures.add(vm);
        List<String> containers = List.of("--container", "server", "--container", "db", "--timeout", "20", "--interval", "250");
        DeployFixture.Run before = cli(args(List.of("verify"), conn(vm), containers));
        assertThat(before.exit()).as(before.all()).isEqualTo(1);
        assertThat(before.err()).contains("no compose files recorded in " + vm.dir + "/" + RecordedCompose.FILE)
                .contains("give --compose");

        DeployFixture.Run deployed = cli(args(List.of("deploy", "--sha", good), conn(vm), compose(), login(), containers));
        assertThat(deployed.exit()).as(deployed.all()).isZero();
        assertThat(SANDBOX.ssh("cat " + vm.dir + "/" + RecordedCompose.FILE).stdout()).isEqualTo("compose.yaml\n");

        DeployFixture.Run after = cli(args(List.of("verify"), conn(vm), containers, List.of("--report")));
        assertThat(after.exit()).as(after.all()).isZero();
        assertThat(after.out()).contains("running, healthy").contains("containers of the compose project (compose ps):");

        // The record decides: one that names a file the deploy dir lacks makes verify say so.
        SANDBOX.ssh("printf 'compose.yaml\\nmissing.yaml\\n' > " + vm.dir + "/" + RecordedCompose.FILE);
        DeployFixture.Run stale = cli(args(List.of("verify"), conn(vm), containers));
        assertThat(stale.exit()).as(stale.all()).isEqualTo(1);
        assertThat(stale.err()).contains("compose file missing.yaml not found");
    }

    @Test
    void deployOfAReleaseWithTooMany5xxRollsBackWithExit3AndExplains() throws Exception {
        HealthFixture vm = fixture("cli-rollback");
        List<String> gate = List.of("--prometheus", SANDBOX.prometheusUrl().toString(), "--query", VerifyE2ETest.RATIO_5XX,
                "--max", "0.05", "--timeout", "40", "--interval", "250", "--settle", "8", "--logs", "server");
        DeployFixture.Run first = cli(args(List.of("deploy", "--sha", good), conn(vm), compose(), login(), gate));
        assertThat(first.exit()).as(first.all()).isZero();

        DeployFixture.Run bad = cli(args(List.of("deploy", "--sha", errors), conn(vm), compose(), login(), gate, List.of("--json")));
        assertThat(bad.exit()).as(bad.all()).isEqualTo(3);
        assertThat(bad.err()).contains("everbit-deploy: Release " + errors + " failed verification: probe 'prometheus")
                .contains("' = 0.").contains("(max 0.05)").contains(good + " is running now");
        JsonNode json = new ObjectMapper().readTree(bad.out());
        assertThat(json.get("exitCode").asInt()).isEqualTo(3);
        assertThat(json.get("running").asText()).isEqualTo(good);
        assertThat(json.get("verify")).hasSize(2);
        assertThat(json.at("/verify/0/ok").asBoolean()).isFalse();
        assertThat(json.at("/verify/1/ok").asBoolean()).isTrue();
        assertThat(vm.serving()).isEqualTo(good);

        DeployFixture.Run status = cli(args(List.of("status"), conn(vm), List.of("--json")));
        JsonNode history = new ObjectMapper().readTree(status.out()).get("history");
        assertThat(history.get(history.size() - 2).get("action").asText()).isEqualTo("verify");
        assertThat(history.get(history.size() - 1).get("action").asText()).isEqualTo("rollback");
    }

    private HealthFixture fixture(String name) {
        HealthFixture fixture = new HealthFixture(SANDBOX, name, SANDBOX.appPort(), repository, repository + ":" + good);
        fixtures.add(fixture);
        return fixture;
    }

    private static List<String> conn(HealthFixture vm) {
        return List.of("--host", SANDBOX.sshHost(), "--port", String.valueOf(SANDBOX.sshPort()), "--user", SANDBOX.sshUser(),
                "--identity", SANDBOX.sshIdentity().toString(), "--known-hosts", SANDBOX.sshKnownHosts().toString(),
                "--dir", vm.dir.toString());
    }

    private static List<String> compose() {
        return List.of("--compose", "compose.yaml", "--service", HealthFixture.SERVICE, "--image", repository,
                "--health-timeout", "30");
    }

    private static List<String> login() {
        return List.of("--registry-user", SANDBOX.registryUser(), "--registry-token-file", SANDBOX.registryTokenFile().toString());
    }

    private static List<String> probes(HealthFixture vm) {
        return List.of("--url", SANDBOX.nginxUrl() + "/", "--ca-file", SANDBOX.tlsCaFile().toString(),
                "--remote-url", vm.local("/actuator/health").toString(), "--container", "server", "--container", "db",
                "--prometheus", SANDBOX.prometheusUrl().toString(), "--query", VerifyE2ETest.RATIO_5XX, "--max", "0.05");
    }
}
