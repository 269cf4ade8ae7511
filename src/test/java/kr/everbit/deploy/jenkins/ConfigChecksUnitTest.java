package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.everbit.deploy.engine.settings.Setting;
import org.junit.jupiter.api.Test;

class ConfigChecksUnitTest {

    @Test
    void emptyOptionalFieldsAreFine() {
        assertThat(ConfigChecks.host("")).isNull();
        assertThat(ConfigChecks.port(null)).isNull();
        assertThat(ConfigChecks.composeFiles(List.of())).isNull();
        assertThat(ConfigChecks.knownHosts(" ")).isNull();
    }

    @Test
    void goodValuesPass() {
        assertThat(ConfigChecks.host("api.everbit.kr")).isNull();
        assertThat(ConfigChecks.port("22")).isNull();
        assertThat(ConfigChecks.user("ubuntu")).isNull();
        assertThat(ConfigChecks.dir("~/everbit")).isNull();
        assertThat(ConfigChecks.composeFiles(List.of("docker/compose.yaml", "docker/compose.prod.yaml"))).isNull();
        assertThat(ConfigChecks.service("server")).isNull();
        assertThat(ConfigChecks.image("ghcr.io/everbit/server")).isNull();
        assertThat(ConfigChecks.knownHosts("api.everbit.kr ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample")).isNull();
        assertThat(ConfigChecks.retain("5")).isNull();
    }

    @Test
    void badValuesAreExplainedByTheFieldsLabels() {
        assertThat(ConfigChecks.host("api everbit")).startsWith("VM host: 'api everbit' is not a host name");
        assertThat(ConfigChecks.port("70000")).isEqualTo("SSH port: 70000 is not a TCP port (1-65535)");
        assertThat(ConfigChecks.port("twenty")).isEqualTo("SSH port: 'twenty' is not a whole number");
        assertThat(ConfigChecks.user("root;rm")).startsWith("SSH user: 'root;rm' is not a user name");
        assertThat(ConfigChecks.dir("a\nb")).startsWith("Deploy directory on the VM: ");
        assertThat(ConfigChecks.composeFiles(List.of("/etc/compose.yaml")))
                .startsWith("Compose files: '/etc/compose.yaml' must be a path relative to Deploy directory on the VM:");
        assertThat(ConfigChecks.service("server one")).startsWith("Service: 'server one' is not a compose service name");
        assertThat(ConfigChecks.image("ghcr.io/everbit/server:latest"))
                .startsWith("Image repository: 'ghcr.io/everbit/server:latest' is not an image repository");
        assertThat(ConfigChecks.retain("1")).startsWith("Releases to keep on the VM: must be at least 2");
        assertThat(ConfigChecks.lockTimeout("-1")).startsWith("Deploy lock timeout (seconds):");
        assertThat(ConfigChecks.healthTimeout("0")).startsWith("Health timeout (seconds):");
        // The page takes what the steps take: the engine's ranges, upper limits included.
        assertThat(ConfigChecks.lockTimeout("3601")).isEqualTo("Deploy lock timeout (seconds): must be 0 to 3600 seconds, not 3601");
        assertThat(ConfigChecks.healthTimeout("3601")).isEqualTo("Health timeout (seconds): must be 1 to 3600 seconds, not 3601");
        assertThat(ConfigChecks.settle("-1")).isEqualTo("Settle time for the Prometheus limit (seconds): must be 0 to 3600 seconds, not -1");
        assertThat(ConfigChecks.urls(Setting.URL, List.of("api.everbit.kr")))
                .startsWith("Health URLs (from the agent): 'api.everbit.kr' must be an absolute http:// or https:// URL");
        assertThat(ConfigChecks.tcp(List.of("127.0.0.1:9092"))).isNull();
        assertThat(ConfigChecks.tcp(List.of("127.0.0.1"))).isEqualTo(
                "Ports that must answer on the VM: '127.0.0.1' must be HOST:PORT (e.g. 127.0.0.1:9092)");
        assertThat(ConfigChecks.tcp(List.of("127.0.0.1:70000"))).isEqualTo(
                "Ports that must answer on the VM: '127.0.0.1:70000': port 70000 is not a TCP port (1-65535)");
    }

    @Test
    void aPathWhereKnownHostsLinesBelongIsTheWrongIdiom() {
        assertThat(ConfigChecks.knownHosts("/var/lib/jenkins/.ssh/known_hosts"))
                .startsWith("knownHosts: takes the known_hosts lines themselves, not a path");
        assertThat(ConfigChecks.knownHosts("api.everbit.kr ssh-ed25519 AAAA\nbroken"))
                .isEqualTo("knownHosts: line 2 is not a known_hosts line (HOST KEYTYPE KEY, as ssh-keyscan prints it)");
    }

    @Test
    void theProxyFieldsAreCheckedByTheEnginesRules() {
        assertThat(java.util.Arrays.asList(ConfigChecks.switchMode("proxy"), ConfigChecks.proxyUpstream("/etc/nginx/everbit.conf"),
                ConfigChecks.proxyReload("docker compose exec -T nginx nginx -s reload"), ConfigChecks.proxyHost("127.0.0.1"),
                ConfigChecks.proxyPort("8081, 8082"), ConfigChecks.proxyPortEnv("SERVER_PORT"), ConfigChecks.drain("0"),
                ConfigChecks.warm("86400"))).containsOnlyNulls();
        assertThat(ConfigChecks.switchMode("blue")).isEqualTo("Switch mode: 'blue' must be 'restart' or 'proxy'");
        assertThat(ConfigChecks.proxyUpstream("../nginx.conf")).startsWith("Nginx upstream file on the VM: '../nginx.conf' must be");
        assertThat(ConfigChecks.proxyTest("nginx -t\nrm -rf /")).startsWith("Nginx test command: ")
                .endsWith("contains a control character");
        assertThat(ConfigChecks.proxyHost("a b")).isEqualTo("Slot address: 'a b' is not a host name or an IP address");
        assertThat(ConfigChecks.proxyPort("8081, 70000")).isEqualTo("Slot ports: 70000 is not a TCP port (1-65535)");
        assertThat(ConfigChecks.proxyPort("8081, 8082, 8083")).isEqualTo(
                "Slot ports: takes one port (both slots) or two (blue's, then green's), not 3");
        assertThat(ConfigChecks.proxyPortEnv("SERVER-PORT")).startsWith("Port variable: 'SERVER-PORT' is not an environment");
        assertThat(ConfigChecks.warm("86401")).isEqualTo("Warm window (seconds): must be 0 to 86400 seconds, not 86401");
        assertThat(ConfigChecks.drain("-1")).isEqualTo("Drain time (seconds): must be 0 to 3600 seconds, not -1");
    }

    @Test
    void theStartRulesAreCheckedByTheEnginesRules() {
        assertThat(ConfigChecks.readyPath("")).isNull();
        assertThat(ConfigChecks.readyPath("/actuator/health")).isNull();
        assertThat(ConfigChecks.readyPath("actuator/health")).startsWith("Ready path: 'actuator/health' must be an HTTP path");
        assertThat(ConfigChecks.startSettle("3")).isNull();
        assertThat(ConfigChecks.startSettle("-1")).isEqualTo("Start settle time (seconds): must be 0 to 3600 seconds, not -1");
    }
}
