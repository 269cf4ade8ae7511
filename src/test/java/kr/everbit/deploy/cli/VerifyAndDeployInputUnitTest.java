package kr.everbit.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.health.ContainerProbe;
import kr.everbit.deploy.engine.health.HttpProbe;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.PromQuery;
import kr.everbit.deploy.engine.health.PrometheusProbe;
import kr.everbit.deploy.engine.health.RemoteHttpProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** verify and deploy: how their options parse, and bad input refused with exit 2 before anything is contacted. */
class VerifyAndDeployInputUnitTest {
    @TempDir
    Path tmp;

    @Test
    void eachQueryAndMaxBelongToThePrometheusBeforeIt() {
        ProbePlan plan = parsedVerify("--prometheus", "http://127.0.0.1:9090", "--query", "q1", "--max", "0.05",
                "--query", "q2", "--max", "3", "--prometheus", "http://127.0.0.1:9091/prom", "--query", "q3", "--max", "1")
                .probes.plan();
        assertThat(plan.probes()).map(p -> ((PrometheusProbe.Spec) p).query())
                .extracting(q -> q.server().toString(), PromQuery::query, PromQuery::max).containsExactly(
                tuple("http://127.0.0.1:9090", "q1", 0.05),
                tuple("http://127.0.0.1:9090", "q2", 3.0),
                tuple("http://127.0.0.1:9091/prom", "q3", 1.0));
        assertThat(plan.needsVm()).isFalse();
    }

    @Test
    void repeatableProbesKeepTheirOrder() {
        VerifyCommand verify = parsedVerify("--url", "https://api.everbit.kr/", "--container", "server", "--container", "kafka",
                "--remote-url", "http://127.0.0.1:8080/actuator/health", "--logs", "server", "--logs", "nginx");
        ProbePlan plan = verify.probes.plan();
        assertThat(plan.probes()).containsExactly(new HttpProbe.Spec(URI.create("https://api.everbit.kr/")),
                new RemoteHttpProbe.Spec(URI.create("http://127.0.0.1:8080/actuator/health")),
                new ContainerProbe.Spec("server"), new ContainerProbe.Spec("kafka"));
        assertThat(plan.needsVm()).isTrue();
        assertThat(verify.probes.verifyOptions().logServices()).containsExactly("server", "nginx");
        assertThat(verify.probes.verifyOptions().intervalMillis()).isEqualTo(1000);
        assertThat(verify.probes.verifyOptions().timeoutSeconds()).isEqualTo(60);
    }

    @Test
    void aConfigFileMayListContainersAndLogServices() throws Exception {
        Path config = Files.writeString(tmp.resolve("everbit.yaml"), String.join("\n",
                "container: [server, kafka, db]", "logs: [server, nginx]", "url: https://api.everbit.kr/", "timeout: 180", ""));
        CommandLine cli = Main.commandLine(new Main(), new String[0]);
        cli.setDefaultValueProvider(ConfigDefaults.load(config.toString()));
        VerifyCommand verify = (VerifyCommand) cli.parseArgs("verify").subcommand().commandSpec().userObject();
        assertThat(verify.probes.plan().probes()).containsExactly(new HttpProbe.Spec(URI.create("https://api.everbit.kr/")),
                new ContainerProbe.Spec("server"), new ContainerProbe.Spec("kafka"), new ContainerProbe.Spec("db"));
        assertThat(verify.probes.verifyOptions().logServices()).containsExactly("server", "nginx");
        assertThat(verify.probes.verifyOptions().timeoutSeconds()).isEqualTo(180);
    }

    @Test
    void aQueryWithoutPrometheusOrAMaxThatIsNotANumberIsExit2() {
        assertThat(CliInputUnitTest.cli("verify", "--query", "q", "--max", "1").exit()).isEqualTo(2);
        assertThat(CliInputUnitTest.cli("verify", "--prometheus", "http://127.0.0.1:9090", "--query", "q").exit()).isEqualTo(2);
        CliInputUnitTest.Run notANumber = CliInputUnitTest.cli("verify", "--prometheus", "http://127.0.0.1:9090", "--query", "q",
                "--max", "five percent");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--max");
    }

    @Test
    void verifyWithoutProbesOrWithoutTheVmItNeedsIsExit2() {
        CliInputUnitTest.Run none = CliInputUnitTest.cli("verify", "--timeout", "5");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("name at least one probe");
        CliInputUnitTest.Run noHost = CliInputUnitTest.cli("verify", "--container", "server");
        assertThat(noHost.exit()).isEqualTo(2);
        assertThat(noHost.err()).contains("--host is required for --remote-url, --container");
        CliInputUnitTest.Run badUrl = CliInputUnitTest.cli("verify", "--url", "api.everbit.kr");
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("must be an absolute http:// or https:// URL");
        assertThat(CliInputUnitTest.cli("verify", "--url", "https://127.0.0.1:1/", "--no-data", "maybe").exit()).isEqualTo(2);
        assertThat(CliInputUnitTest.cli("verify", "--url", "https://127.0.0.1:1/", "--interval", "1").exit()).isEqualTo(2);
        assertThat(CliInputUnitTest.cli("verify", "--url", "https://127.0.0.1:1/", "--ca-file", tmp.resolve("none.pem").toString())
                .exit()).isEqualTo(2);
    }

    @Test
    void deployRefusesABadFirstFailureChoiceBeforeConnecting() throws Exception {
        List<String> args = deploy("--sha", "abc1234", "--url", "https://127.0.0.1:1/", "--on-first-failure", "restart");
        CliInputUnitTest.Run run = CliInputUnitTest.cli(args.toArray(String[]::new));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--on-first-failure 'restart' must be 'stop' or 'keep'").doesNotContain("ssh");
    }

    @Test
    void anUnansweredUrlIsExit1WithTheTableOrJson() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliInputUnitTest.Run table = CliInputUnitTest.cli("verify", "--url", "http://127.0.0.1:" + closed + "/", "--timeout", "1",
                "--interval", "200");
        assertThat(table.exit()).isEqualTo(1);
        assertThat(table.out()).startsWith("PROBE").contains("FAIL").contains("refused");
        CliInputUnitTest.Run json = CliInputUnitTest.cli("verify", "--url", "http://127.0.0.1:" + closed + "/", "--timeout", "1",
                "--interval", "200", "--json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.at("/probes/0/name").asText()).isEqualTo("url http://127.0.0.1:" + closed + "/");
        assertThat(report.at("/probes/0/attempts").asInt()).isGreaterThan(1);
    }

    private VerifyCommand parsedVerify(String... args) {
        List<String> all = new ArrayList<>(List.of("verify"));
        all.addAll(List.of(args));
        CommandLine.ParseResult parsed = Main.commandLine(new Main(), new String[0]).parseArgs(all.toArray(String[]::new));
        return (VerifyCommand) parsed.subcommand().commandSpec().userObject();
    }

    private List<String> deploy(String... more) throws Exception {
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        List<String> args = new ArrayList<>(List.of("deploy", "--host", "127.0.0.1", "--port", "1", "--user", "everbit",
                "--known-hosts", knownHosts.toString(), "--dir", "/srv/everbit", "--compose", "docker/compose.yaml",
                "--service", "server", "--image", "ghcr.io/everbit/server"));
        args.addAll(List.of(more));
        return args;
    }
}
