package kr.everbit.deploy.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
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
        ProxyFlag flag = new ProxyFlag(".everbit/nginx/green.live", "http://127.0.0.1/health");
        assertThatThrownBy(() -> new ProxySettings("up.conf", "nginx -t", "nginx -s reload", null, 8080, 8080, null, 1, 1, flag))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{proxySwap} flag needs {proxyHost}");
        assertThatThrownBy(() -> new ProxyFlag("a/../b", "http://127.0.0.1/")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("{proxyFlag}");
        for (String url : List.of("", "ftp://127.0.0.1/", "http://127.0.0.1/a b", "http://u:p@127.0.0.1/", "http:///x")) {
            assertThatThrownBy(() -> new ProxyFlag("f", url)).as(url).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("{proxyConfirmUrl}");
        }
        assertThat(ProxySettings.swap("reload", "f", null)).isNull();
        assertThat(ProxySettings.swap("flag", "f", "http://127.0.0.1/")).isEqualTo(new ProxyFlag("f", "http://127.0.0.1/"));
        assertThatThrownBy(() -> ProxySettings.swap("reload", "f", "http://127.0.0.1/")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("{proxyConfirmUrl} is for {proxySwap} flag");
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
    void everyProxyCallIsValidShellEvenWithHostileValuesAndTheBoundIsTheLibrarys() throws Exception {
        ComposeProject project = new ComposeProject("/srv/it's $(id)", List.of("docker/compose.yaml"), "server",
                ImageRef.of("ghcr.io/everbit/server"));
        ProxySettings hostile = new ProxySettings("/etc/nginx/everbit/up.conf", "nginx -t 'x'\"$(id)\"",
                "docker exec it's nginx -s reload", null, 8080, 8080, null, 0, 0);
        ProxyScripts scripts = new ProxyScripts(project, new RemoteScripts(project), hostile);
        String restore = scripts.restore("server a:1;\n'$(id)'", "server-blue img:abc1234 a:1", "server-green img:b x 5",
                "server-blue", "img:abc1234", "server-green");
        for (RemoteScript script : List.of(scripts.readState("img:abc1234 $(id)"), scripts.config(), scripts.logs("server-blue", 30),
                ProxyScripts.writeFile("w", "a b/c'd", "it's $(id)"), scripts.startSlot(Slot.BLUE, "server", 30, new kr.everbit.deploy.engine.remote.StartRules("/it's$(id)", 3)),
                new ProxyScripts(project, new RemoteScripts(project), host).startSlot(Slot.GREEN, "server", 30,
                        kr.everbit.deploy.engine.remote.StartRules.defaults()),
                scripts.stop("server-green"), scripts.swap("server x:1;\n'$(id)'",
                        "server-blue img:1 x:1", "server-green img:2 x:2", 30), scripts.swap("s", "l", null, 0),
                RemoteScript.of("write the restore", kr.everbit.deploy.engine.Shell.call("everbit_begin_switch",
                        ProxyScripts.writeRestoreCall(restore))), RemoteScript.of("restore", restore),
                scripts.retire("server-green", 0, true), scripts.retire("server-green", 600, false), ProxyScripts.readReleases())) {
            assertThat(kr.everbit.deploy.engine.remote.ShellFiles.check(List.of("sh", "-n"), script.body())).as(script.label()).isEmpty();
        }
        ProxyScripts flagged = new ProxyScripts(project, new RemoteScripts(project), new ProxySettings("up.conf", "nginx -t",
                "nginx -s reload", "127.0.0.1", 1, 2, null, 0, 0, new ProxyFlag("/srv/it/green.live", "http://127.0.0.1/it's$(id)")));
        for (RemoteScript script : List.of(flagged.readState("img:abc1234 $(id)"), flagged.flip("server", Slot.GREEN,
                        "server-green img:1 x:1", null, 0), flagged.flip("it's", Slot.BLUE, "l", "w", 600),
                RemoteScript.of("restore", flagged.flagRestore("server", Slot.BLUE, "server-blue img:abc1234 a:1", null, null,
                        "img:abc1234", "server-green")), RemoteScript.of("restore", flagged.flagRestore("server", null, null,
                        null, null, null, null)))) {
            assertThat(kr.everbit.deploy.engine.remote.ShellFiles.check(List.of("sh", "-n"), script.body())).as(script.label()).isEmpty();
        }
        assertThat(RemoteLibrary.text()).contains("\neverbit_reload_bound=" + ProxyScripts.RELOAD_BOUND_SECONDS + "\n")
                .contains("\neverbit_flip_bound=" + ProxyScripts.FLIP_BOUND_SECONDS + "\n");
    }

    @Test
    void theStateSaysTheWarmReleaseRunsOnlyWhenItIsTheImageOrAnyImageInOneOfTheSlotsAndAHostileLineRunsNothing() throws Exception {
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("proxy-state");
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(tmp.resolve("deploy/.everbit")).getParent();
        java.nio.file.Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(tmp.resolve("bin"));
        // A double of the docker CLI that answers as dockerd would for one running container of this dir's project.
        java.nio.file.Files.writeString(bin.resolve("docker"), String.join("\n", "#!/bin/sh",
                "echo \"$*\" >> " + tmp.resolve("calls"),
                "case \"$*\" in",
                "  'ps -a --format '*) printf 'proj\\t%s\\n' \"$(pwd -P)\" ;;",
                "  'ps -q '*) echo cid1 ;;",
                "  inspect*) echo 'running healthy' ;;",
                "esac", ""));
        bin.resolve("docker").toFile().setExecutable(true);
        String image = "ghcr.io/everbit/server:abc1234";
        java.nio.file.Path marker = tmp.resolve("pwned");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("server-blue " + image + " 127.0.0.1:18081 9999999999|" + image, "warm-runs server-blue");
        cases.put("server-blue " + image + " 127.0.0.1:18081 9999999999|ghcr.io/everbit/server:bbbbbbb", "");
        // No image yet (a rollback to "previous", which the ledger read with the state names): any warm release.
        cases.put("server-blue " + image + " 127.0.0.1:18081 9999999999|", "warm-runs server-blue");
        cases.put("other " + image + " 127.0.0.1:18081 9999999999|" + image, "");
        cases.put("$(touch${IFS}" + marker + ") " + image + " a:1 1|" + image, "");
        cases.put("server-blue;touch${IFS}" + marker + " " + image + " a:1 1|" + image, "");
        ProxyScripts scripts = new ProxyScripts(new ComposeProject(dir.toString(), List.of("compose.yaml"), "server",
                ImageRef.of("ghcr.io/everbit/server")), null, host);
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String[] warmAndImage = c.getKey().split("\\|", -1);
            java.nio.file.Files.writeString(dir.resolve(ProxyScripts.WARM_FILE), warmAndImage[0] + "\n");
            java.nio.file.Files.deleteIfExists(tmp.resolve("calls"));
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", RemoteLibrary.load() + "\n"
                    + kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", "ghcr.io/everbit/server", "compose.yaml", "3")
                    + "\ncd " + kr.everbit.deploy.engine.Shell.quote(dir.toString()) + " && " + scripts.readState(warmAndImage[1]).body())
                    .redirectErrorStream(true);
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out.lines().filter(l -> l.startsWith("warm-runs")).findFirst().orElse("")).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(out).as(c.getKey()).startsWith("warm " + warmAndImage[0] + "\n").containsPattern("now [0-9]+\n$");
            if (c.getValue().isEmpty() && !warmAndImage[0].startsWith("server-blue ")) {
                assertThat(tmp.resolve("calls")).as("a warm line naming no slot asks docker nothing: " + c.getKey()).doesNotExist();
            }
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void aReloadHasTakenOnlyWhenEveryWorkerOfBeforeHasStoppedAcceptingAndANewOneRuns() throws Exception {
        String before = String.join("\n",
                "  10     1 nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf",
                "  11    10 nginx: worker process",
                "  12    10 nginx: worker process",
                "  20     1 nginx: master process /usr/sbin/nginx -p /srv/other",
                "  21    20 nginx: worker process",
                "  30     1 sshd: everbit");
        assertThat(reloaded(before, before)).as("the master has not acted on the signal yet").isFalse();
        assertThat(reloaded(before, before + "\n  13    10 nginx: worker process")).as("new workers run, old ones still accept")
                .isFalse();
        assertThat(reloaded(before, before.replace("11    10 nginx: worker process", "11    10 nginx: worker process is shutting down")
                + "\n  13    10 nginx: worker process")).as("one old worker still accepts").isFalse();
        assertThat(reloaded(before, before.replace("nginx: worker process\n", "nginx: worker process is shutting down\n")
                .replace("12    10 nginx: worker process", "12    10 nginx: worker process is shutting down")
                + "\n  13    10 nginx: worker process")).isTrue();
        assertThat(reloaded(before, String.join("\n", "  10     1 nginx: master process /usr/sbin/nginx",
                "  14    10 nginx: worker process", "  20     1 nginx: master process", "  21    20 nginx: worker process")))
                .as("the old workers are gone").isTrue();
        assertThat(reloaded(before, String.join("\n", "  10     1 nginx: master process /usr/sbin/nginx",
                "  20     1 nginx: master process", "  21    20 nginx: worker process"))).as("no new worker yet").isFalse();
    }

    /**
     * The restore of an interrupted switch puts the upstream back and counts as done only once Nginx took the reload:
     * run in a real shell with a double of ps whose Nginx replaces its worker when the reload command says so.
     */
    @Test
    void anInterruptedSwitchIsRestoredOnlyOnceNginxTookTheReload() throws Exception {
        java.nio.file.Path vm = java.nio.file.Files.createTempDirectory("restore");
        java.nio.file.Path table = vm.resolve("table");
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(vm.resolve("bin"));
        java.nio.file.Files.writeString(bin.resolve("ps"), "#!/bin/sh\ncat \"$PS_TABLE\"\n");
        bin.resolve("ps").toFile().setExecutable(true);
        String worker = "  20     1 nginx: master process\n  21    20 nginx: worker process\n";
        ComposeProject project = new ComposeProject(vm.toString(), List.of("compose.yaml"), "server",
                ImageRef.of("ghcr.io/everbit/server"));
        for (boolean takes : List.of(true, false)) {
            java.nio.file.Files.writeString(table, worker);
            String reload = takes ? "printf '  20     1 nginx: master process\\n  22    20 nginx: worker process\\n' > \"$PS_TABLE\"" : "true";
            ProxySettings settings = new ProxySettings("up.conf", "true", reload, null, 8080, 8080, null, 0, 0);
            ProxyScripts scripts = new ProxyScripts(project, new RemoteScripts(project), settings);
            String restore = scripts.restore("server a:1;\n", "server-blue img:abc1234 a:1", null, null, null, null);
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", RemoteLibrary.load() + "\nmkdir -p .everbit\n" + restore)
                    .directory(vm.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            pb.environment().put("PS_TABLE", table.toString());
            Process sh = pb.start();
            String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (takes) {
                assertThat(sh.waitFor()).as(said).isZero();
            } else {
                assertThat(sh.waitFor()).as(said).isNotZero();
                assertThat(said).contains("Nginx did not take the restore's reload within " + ProxyScripts.RELOAD_BOUND_SECONDS + "s");
            }
            assertThat(java.nio.file.Files.readString(vm.resolve("up.conf"))).isEqualTo("server a:1;\n");
        }
    }

    /** Runs everbit_reloaded with a stub ps that shows {@code before}'s processes, then {@code after}'s. */
    private static boolean reloaded(String before, String after) throws Exception {
        java.nio.file.Path bin = java.nio.file.Files.createTempDirectory("ps-stub");
        java.nio.file.Path ps = bin.resolve("ps");
        java.nio.file.Files.writeString(ps, "#!/bin/sh\ncat \"$PS_TABLE\"\n");
        ps.toFile().setExecutable(true);
        java.nio.file.Path table = bin.resolve("table");
        java.nio.file.Files.writeString(table, before + "\n");
        String script = RemoteLibrary.load() + "\neverbit_before=$(everbit_workers)\nprintf '%s\\n' \"$AFTER\" > \"$PS_TABLE\""
                + "\neverbit_reloaded";
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("PS_TABLE", table.toString());
        pb.environment().put("AFTER", after);
        Process sh = pb.start();
        String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(said).isEmpty();
        return sh.waitFor() == 0;
    }
}
