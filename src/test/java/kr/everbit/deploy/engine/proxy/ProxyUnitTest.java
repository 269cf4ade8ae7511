package kr.everbit.deploy.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.engine.settings.Setting;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ProxyUnitTest {
    private static final String CONFIG = String.join("\n",
            "services:",
            "  db:",
            "    image: postgres",
            "  server:",
            "    container_name: everbit-server",
            "    image: ghcr.io/everbit/server:unset",
            "    ports: ['8080:8080']",
            "    build: {context: .}",
            "    restart: unless-stopped",
            "    depends_on: {db: {condition: service_started}}",
            "    environment: {PORT: '8080', SPRING_PROFILES_ACTIVE: prod}",
            "    healthcheck: {test: ['CMD', 'sh', '-c', 'wget -q http://127.0.0.1:$$PORT/actuator/health']}",
            "version: '3.9'",
            "");
    private final ProxySettings host = new ProxySettings(Setting.PROXY_UPSTREAM.defaultText(), "nginx -t", "nginx -s reload",
            "127.0.0.1", 18081, 18082, "PORT", 10, 600);

    @Test
    @SuppressWarnings("unchecked")
    void theSlotsAreTheOperatorsServiceWithTheirOwnImageAndPortWithoutWhatTwoCopiesCannotShare() {
        String yaml = SlotOverride.of(CONFIG, "server", host, Map.of(Slot.GREEN, "ghcr.io/everbit/server:bbbbbbb"),
                "ghcr.io/everbit/server:aaaaaaa");
        Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(yaml)).get("services");
        assertThat(services).containsOnlyKeys("server-blue", "server-green");
        Map<String, Object> green = (Map<String, Object>) services.get("server-green");
        Map<String, Object> blue = (Map<String, Object>) services.get("server-blue");
        assertThat(green).doesNotContainKeys("container_name", "ports", "build")
                .containsEntry("image", "ghcr.io/everbit/server:bbbbbbb").containsEntry("restart", "unless-stopped")
                .containsKeys("depends_on", "healthcheck");
        assertThat((Map<String, Object>) green.get("environment")).containsEntry("PORT", "18082")
                .containsEntry("SPRING_PROFILES_ACTIVE", "prod");
        assertThat((Map<String, Object>) blue.get("environment")).containsEntry("PORT", "18081");
        assertThat(blue).containsEntry("image", "ghcr.io/everbit/server:aaaaaaa");
        assertThat(yaml).contains("$$PORT");
    }

    @Test
    void onTheComposeNetworkNginxReachesEachSlotByItsServiceName() {
        ProxySettings network = ProxySettings.defaults();
        assertThat(Slot.BLUE.address(network, "server")).isEqualTo("server-blue:8080");
        assertThat(Slot.GREEN.address(host, "server")).isEqualTo("127.0.0.1:18082");
        assertThat(network.keepSeconds(true)).isEqualTo(600);
        assertThat(network.keepSeconds(false)).isEqualTo(10);
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingIsContacted() {
        assertThatThrownBy(() -> new ProxySettings("../etc/nginx.conf", "nginx -t", "nginx -s reload", null, 8080, 8080, null, 1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{proxyUpstream}");
        assertThatThrownBy(() -> new ProxySettings("up.conf", "nginx -t", "nginx -s reload", "127.0.0.1", 8080, 8080, null, 1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("two different ports");
        assertThatThrownBy(() -> new ProxySettings("up.conf", "nginx -t", " ", null, 8080, 8080, null, 1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{proxyReload}");
        assertThatThrownBy(() -> new ProxySettings("up.conf", "nginx -t", "nginx -s reload", "a b", 8080, 8080, null, 1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{proxyHost}");
        assertThatThrownBy(() -> new ProxySettings("up.conf", "nginx -t", "nginx -s reload", null, 8080, 8080, "1X", 1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{proxyPortEnv}");
        assertThatThrownBy(() -> new ProxySettings("up.conf", "nginx -t", "nginx -s reload", null, 8080, 8080, null, -1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{drain}");
        assertThatThrownBy(() -> new ProxySettings("up.conf", "nginx -t", "nginx -s reload", null, 8080, 8080, null, 1, 86_401))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{warm}");
    }

    @Test
    void aStateLineReadsBack() {
        ProxyRelease warm = ProxyRelease.parse(ProxyRelease.line("server-blue", "ghcr.io/everbit/server:abc1234", "127.0.0.1:18081", 0));
        assertThat(warm.sha()).isEqualTo("abc1234");
        assertThat(warm.until()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(ProxyRelease.parse("garbage")).isNull();
        for (String hostile : List.of("$(touch /tmp/x) ghcr.io/o/server:abc1234 127.0.0.1:1 1",
                "server-green ghcr.io/o/server:abc1234 127.0.0.1:1 99999999999999999",
                "server-green ghcr.io/o/server:abc1234 127.0.0.1:1 -5",
                "server-green ghcr.io/o/server:latest 127.0.0.1:1",
                "server-green ghcr.io/o/server:abc1234 $(id):1",
                "server-green ghcr.io/o/server:abc1234 127.0.0.1:1 1 extra")) {
            assertThat(ProxyRelease.parse(hostile)).as(hostile).isNull();
        }
        assertThat(ProxyRelease.parse("server-green ghcr.io/o/server:abc1234 127.0.0.1:1 253402300799").until())
                .isEqualTo("9999-12-31T23:59:59Z");
    }

    @Test
    void everyProxyScriptIsValidShellEvenWithHostileValues() throws Exception {
        ComposeProject project = new ComposeProject("/srv/it's $(id)", List.of("docker/compose.yaml"), "server",
                ImageRef.of("ghcr.io/everbit/server"));
        ProxySettings hostile = new ProxySettings("/etc/nginx/everbit/up.conf", "nginx -t 'x'\"$(id)\"",
                "docker exec it's nginx -s reload", null, 8080, 8080, null, 0, 0);
        ProxyScripts scripts = new ProxyScripts(project, new RemoteScripts(project), hostile);
        String restore = scripts.restore("server a:1;\n'$(id)'", "server-blue img:abc1234 a:1", "server-green img:b x 5",
                "server-blue", "img:abc1234", "server-green");
        for (RemoteScript script : List.of(scripts.readState(), scripts.config(), scripts.logs("server-blue", 30),
                ProxyScripts.writeFile("w", "a b/c'd", "it's $(id)"), scripts.startSlot("server-blue", 30),
                scripts.running("server-blue"), scripts.stop("server-green"), scripts.swap("server x:1;\n'$(id)'",
                        "server-blue img:1 x:1", "server-green img:2 x:2", 30), scripts.swap("s", "l", null, 0),
                scripts.writeRestore(restore), RemoteScript.of("restore", restore), scripts.retire("server-green", 0, true),
                scripts.retire("server-green", 600, false), ProxyScripts.readReleases())) {
            for (List<String> check : List.of(List.of("sh", "-n"), List.of("shellcheck", "-s", "sh", "-S", "error", "-"))) {
                if (check.get(0).equals("shellcheck") && !onPath("shellcheck")) {
                    continue;
                }
                Process sh = new ProcessBuilder(check).redirectErrorStream(true).start();
                sh.getOutputStream().write(script.body().getBytes(StandardCharsets.UTF_8));
                sh.getOutputStream().close();
                String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(sh.waitFor()).as(check.get(0) + " " + script.label() + ": " + said).isZero();
            }
        }
    }

    private static boolean onPath(String tool) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    }
}
