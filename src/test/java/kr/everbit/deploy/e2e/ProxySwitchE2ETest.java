package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Releases through a real Nginx under a steady request stream, with an app that needs {@value #START_DELAY} s before
 * it listens (so a stop-first switch drops requests, as the restart-mode test shows): in proxy mode no request fails
 * during a deploy, a warm rollback, a cold rollback, or the automatic rollback of a release that fails its checks.
 */
class ProxySwitchE2ETest {
    private static final int START_DELAY = 3;
    private static Path context;
    private final Sandbox sandbox = Sandbox.get();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void layOutTheAppOfThisCheckout() throws Exception {
        // This checkout's app (its startup delay and graceful stop), whatever context the running sandbox has.
        context = Files.createTempDirectory("proxy-app");
        Process p = new ProcessBuilder("scripts/sandbox-app.sh", context.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(said).isZero();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private DeployFixture fixture(String name) throws Exception {
        // The app's own healthcheck, with time for its start; /release answers in every variant (HEALTH=down too).
        return fixture(name, List.of(
                "    healthcheck:",
                "      test: [\"CMD\", \"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox wget -q -O /dev/null http://127.0.0.1:$$PORT/release\"]",
                "      interval: 1s",
                "      start_period: 20s",
                "      retries: 3"));
    }

    /** The service with {@code more} lines of its compose definition (a healthcheck, a restart policy). */
    private DeployFixture fixture(String name, List<String> more) throws Exception {
        DeployFixture vm = new DeployFixture(sandbox, name);
        List<String> compose = new ArrayList<>(List.of(
                "services:",
                "  server:",
                "    image: " + vm.image + ":unset",
                "    network_mode: host",
                "    environment:",
                "      PORT: \"" + vm.port + "\"",
                "      APP_STOP_GRACE: \"2\""));
        compose.addAll(more);
        compose.add("");
        Files.writeString(vm.dir.resolve("compose.yaml"), String.join("\n", compose));
        sandbox.giveToSshUser(vm.dir);
        // The fixture's close removes the slots' containers too.
        cleanup.add(vm::close);
        return vm;
    }

    private void release(DeployFixture vm, String sha, Map<String, String> variant) {
        List<String> build = new ArrayList<>(List.of("build", "--image", vm.image, "--sha", sha, "--context", context.toString(),
                "--build-arg", "RELEASE=" + sha, "--build-arg", "START_DELAY=" + START_DELAY));
        variant.forEach((k, v) -> build.addAll(List.of("--build-arg", k + "=" + v)));
        DeployFixture.Run built = cli(build.toArray(String[]::new));
        assertThat(built.exit()).as(built.all()).isZero();
        DeployFixture.Run pushed = cli(args(List.of("push", "--image", vm.image, "--sha", sha), vm.login()));
        assertThat(pushed.exit()).as(pushed.all()).isZero();
    }

    private ProxyNginx nginx(DeployFixture vm, int port) throws Exception {
        ProxyNginx nginx = new ProxyNginx(sandbox, vm.dir, "server 127.0.0.1:" + port + ";\n");
        cleanup.add(nginx);
        return nginx;
    }

    @Test
    void noRequestFailsThroughNginxDuringADeployAWarmAColdAndAnAutomaticRollback() throws Exception {
        DeployFixture vm = fixture("proxy");
        String a = randomSha();
        String b = randomSha();
        String bad = randomSha();
        release(vm, a, Map.of());
        release(vm, b, Map.of());
        release(vm, bad, Map.of("HEALTH", "down"));
        int blue = DeployFixture.freePort();
        int green = DeployFixture.freePort();
        ProxyNginx nginx = nginx(vm, 1);
        List<String> proxy = nginx.options(blue, green);
        List<String> fast = List.of("--drain", "1", "--warm", "120");

        DeployFixture.Run first = vm.up(a, args(proxy, fast));
        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(Files.readString(vm.dir.resolve(".everbit/nginx/upstream.conf"))).contains("server 127.0.0.1:" + blue + ";");

        // deploy of a new SHA: B starts in green beside A, Nginx switches once B is healthy, A stays warm
        RequestStream stream = new RequestStream(nginx.url("/release"));
        DeployFixture.Run deployed = deploy(vm, nginx, b, args(proxy, fast));
        RequestStream.Tally tally = stream.stop();
        assertThat(deployed.exit()).as(deployed.all()).isZero();
        assertThat(tally.failed()).as(tally.toString()).isZero();
        assertThat(tally.bodies()).containsKeys("200 " + a, "200 " + b);
        DeployFixture.Run status = vm.status();
        assertThat(status.out()).contains("current:  " + b).contains("live:     " + vm.image + ":" + b + " in server-green")
                .contains("warm:     " + vm.image + ":" + a + " in server-blue");
        assertThat(vm.status("--json").out()).contains("\"live\":{\"service\":\"server-green\"").contains("\"warm\":{\"service\":\"server-blue\"");

        // warm rollback: a swap and a reload, nothing started; this one keeps B warm for 2 s only
        stream = new RequestStream(nginx.url("/release"));
        String blueStarted = startedAt(vm, "server-blue");
        DeployFixture.Run warm = vm.rollback("previous", args(proxy, List.of("--drain", "1", "--warm", "2")));
        tally = stream.stop();
        assertThat(warm.exit()).as(warm.all()).isZero();
        assertThat(warm.all()).contains("still warm in server-blue").doesNotContain("wait healthy");
        assertThat(startedAt(vm, "server-blue")).as("a warm rollback starts nothing: the warm container runs on").isEqualTo(blueStarted);
        assertThat(tally.failed()).as(tally.toString()).isZero();
        assertThat(vm.status().out()).contains("current:  " + a).contains("in server-blue");

        // the warm window ends: a timer on the VM retires B (the command had returned long before)
        waitUntil(() -> !Files.exists(vm.dir.resolve(".everbit/proxy.warm")), 20_000);
        assertThat(sandbox.ssh("docker ps -q --filter label=com.docker.compose.service=server-green --filter"
                + " label=com.docker.compose.project.working_dir=" + vm.dir).stdout()).isBlank();

        // cold rollback: B is started again from its retained image in green, then Nginx switches
        stream = new RequestStream(nginx.url("/release"));
        DeployFixture.Run cold = vm.rollback(b, args(proxy, fast));
        tally = stream.stop();
        assertThat(cold.exit()).as(cold.all()).isZero();
        assertThat(cold.all()).contains("start server-green beside the live release");
        assertThat(tally.failed()).as(tally.toString()).isZero();
        assertThat(tally.bodies()).containsKeys("200 " + a, "200 " + b);

        // automatic rollback: the bad release runs healthy but fails verify; deploy swaps back to the warm B
        stream = new RequestStream(nginx.url("/release"));
        DeployFixture.Run rolledBack = deploy(vm, nginx, bad, args(proxy, fast));
        tally = stream.stop();
        assertThat(rolledBack.exit()).as(rolledBack.all()).isEqualTo(3);
        assertThat(rolledBack.all()).contains("still warm in server-green");
        // The report of the failed checks shows the slots that ran then: the bad release in blue, B in green.
        String ps = rolledBack.all().split("containers of the compose project \\(compose ps\\):\n", 2)[1].split("\n\n", 2)[0];
        assertThat(ps).contains("server-blue").contains("server-green").doesNotContain("(no containers)");
        assertThat(tally.failed()).as(tally.toString()).isZero();
        assertThat(vm.status().out()).contains("current:  " + b).contains("live:     " + vm.image + ":" + b + " in server-green");
        assertThat(Files.readString(vm.dir.resolve(".everbit/nginx/upstream.conf"))).contains("server 127.0.0.1:" + green + ";");
    }

    @Test
    void aConfigurationNginxRefusesLeavesTheLiveReleaseAndSaysWhatNginxSaid() throws Exception {
        DeployFixture vm = fixture("proxy-refused");
        String a = randomSha();
        String b = randomSha();
        release(vm, a, Map.of());
        release(vm, b, Map.of());
        int blue = DeployFixture.freePort();
        int green = DeployFixture.freePort();
        ProxyNginx nginx = nginx(vm, 1);
        List<String> proxy = nginx.options(blue, green);
        assertThat(vm.up(a, args(proxy, List.of("--drain", "0", "--warm", "0"))).exit()).isZero();
        // A broken Nginx configuration of the operator's (an unknown directive): nginx -t refuses every change now.
        Path conf = vm.dir.resolve("nginx/nginx.conf");
        sandbox.writeAsSshUser(conf, Files.readString(conf).replace("access_log off;", "access_log off;\n  no_such_directive on;"));
        DeployFixture.Run refused = vm.up(b, args(proxy, List.of("--drain", "0", "--warm", "0")));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.all()).contains("Nginx did not take the switch").contains("no_such_directive").contains(a + " stays live");
        assertThat(Files.readString(vm.dir.resolve(".everbit/nginx/upstream.conf"))).contains("server 127.0.0.1:" + blue + ";");
        assertThat(vm.status().out()).contains("current:  " + a);
        assertThat(sandbox.ssh("curl -s " + nginx.url("/release")).stdout().strip()).isEqualTo(a);
    }

    @Test
    void aProxyUpKilledWhileTheNewSlotStartsLeavesNginxOnTheLedgersCurrentRelease() throws Exception {
        DeployFixture vm = fixture("proxy-killed");
        String a = randomSha();
        String slow = randomSha();
        release(vm, a, Map.of());
        // A release that takes a minute to listen: the tool is killed while it waits for it.
        release(vm, slow, Map.of("START_DELAY", "60"));
        int blue = DeployFixture.freePort();
        int green = DeployFixture.freePort();
        ProxyNginx nginx = nginx(vm, 1);
        List<String> proxy = nginx.options(blue, green);
        assertThat(vm.up(a, args(proxy, List.of("--drain", "1", "--warm", "60"))).exit()).isZero();

        RequestStream stream = new RequestStream(nginx.url("/release"));
        Process tool = ToolProcess.start(args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", slow,
                "--health-timeout", "120"), vm.login(), proxy));
        cleanup.add(() -> tool.toHandle().descendants().forEach(ProcessHandle::destroyForcibly));
        ToolProcess.awaitLine(tool, "server-green_1 ... done");
        tool.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        tool.destroyForcibly();
        assertThat(tool.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        waitUntil(() -> sandbox.ssh("cd " + vm.dir + " && flock -n .everbit/deploy.lock true").ok(), 60_000);
        RequestStream.Tally tally = stream.stop();

        assertThat(vm.dir.resolve(".everbit/inflight")).as("nothing left in flight").doesNotExist();
        assertThat(tally.failed()).as(tally.toString()).isZero();
        assertThat(tally.bodies()).containsOnlyKeys("200 " + a);
        assertThat(vm.status().out()).contains("current:  " + a).contains("live:     " + vm.image + ":" + a + " in server-blue");
        assertThat(Files.readString(vm.dir.resolve(".everbit/nginx/upstream.conf"))).contains("server 127.0.0.1:" + blue + ";");
        assertThat(sandbox.ssh("docker ps -q --filter label=com.docker.compose.service=server-green --filter"
                + " label=com.docker.compose.project.working_dir=" + vm.dir).stdout()).as("the slot it was starting is stopped").isBlank();
        assertThat(Files.readString(vm.dir.resolve(".everbit/recovery.log"))).contains("proxy switch was interrupted");
    }

    @Test
    void aSlowReloadIsWaitedForBeforeTheSwitchIsReportedAndTheReleaseBeforeIsDrained() throws Exception {
        DeployFixture vm = fixture("proxy-slow-reload");
        String a = randomSha();
        String b = randomSha();
        release(vm, a, Map.of());
        release(vm, b, Map.of());
        int blue = DeployFixture.freePort();
        int green = DeployFixture.freePort();
        ProxyNginx nginx = nginx(vm, 1);
        List<String> proxy = nginx.options(blue, green);
        assertThat(vm.up(a, args(proxy, List.of("--drain", "0", "--warm", "0"))).exit()).isZero();
        // A reload that returns at once and signals Nginx 3 s later, as a busy VM's Nginx may take its time: with the
        // release before stopped at once (no drain), any request Nginx still sent to it would fail.
        List<String> slow = new ArrayList<>(proxy);
        slow.set(slow.indexOf("--proxy-reload") + 1, "(sleep 3; " + nginx.reloadCommand() + ") </dev/null >/dev/null 2>&1 &");
        RequestStream stream = new RequestStream(nginx.url("/release"));
        DeployFixture.Run up = vm.up(b, args(slow, List.of("--drain", "0", "--warm", "0")));
        String right = sandbox.ssh("curl -s " + nginx.url("/release")).stdout().strip();
        RequestStream.Tally tally = stream.stop();
        assertThat(up.exit()).as(up.all()).isZero();
        assertThat(up.all()).contains("Nginx took the reload").contains("Nginx sends to server-green");
        assertThat(right).as("the first request after the command returned").isEqualTo(b);
        assertThat(tally.failed()).as(tally.toString()).isZero();
        assertThat(tally.bodies()).containsKeys("200 " + a, "200 " + b);
    }

    @Test
    void aReloadThatNeverTakesIsAFailedSwitchAndTheReleaseBeforeStaysLive() throws Exception {
        DeployFixture vm = fixture("proxy-no-reload");
        String a = randomSha();
        String b = randomSha();
        release(vm, a, Map.of());
        release(vm, b, Map.of());
        int blue = DeployFixture.freePort();
        int green = DeployFixture.freePort();
        ProxyNginx nginx = nginx(vm, 1);
        List<String> proxy = nginx.options(blue, green);
        assertThat(vm.up(a, args(proxy, List.of("--drain", "0", "--warm", "0"))).exit()).isZero();
        List<String> inert = new ArrayList<>(proxy);
        inert.set(inert.indexOf("--proxy-reload") + 1, "echo signalled nobody");
        DeployFixture.Run up = vm.up(b, args(inert, List.of("--drain", "0", "--warm", "0")));
        assertThat(up.exit()).as(up.all()).isEqualTo(1);
        assertThat(up.all()).contains("Nginx did not take the reload within").contains("signalled nobody")
                .contains(a + " stays live").doesNotContain("Nginx sends to server-green");
        assertThat(Files.readString(vm.dir.resolve(".everbit/nginx/upstream.conf"))).contains("server 127.0.0.1:" + blue + ";");
        assertThat(vm.status().out()).contains("current:  " + a);
        assertThat(sandbox.ssh("curl -s " + nginx.url("/release")).stdout().strip()).isEqualTo(a);
    }

    @Test
    void aSlotWithoutHealthcheckGetsNoRequestBeforeItListens() throws Exception {
        // As an image FROM scratch, distroless or jlink'ed: no shell, so no compose healthcheck. B listens 10 s after
        // its start: longer than compose's own start and the switch take even on a fast machine, so that only the
        // check at its address keeps requests from it.
        DeployFixture vm = fixture("proxy-no-healthcheck", List.of("    healthcheck:", "      disable: true"));
        String a = randomSha();
        String b = randomSha();
        release(vm, a, Map.of());
        release(vm, b, Map.of("START_DELAY", "10"));
        int blue = DeployFixture.freePort();
        int green = DeployFixture.freePort();
        ProxyNginx nginx = nginx(vm, 1);
        String[] proxy = args(nginx.options(blue, green), List.of("--drain", "1", "--warm", "0", "--ready-path", "/release"));
        DeployFixture.Run first = vm.up(a, proxy);
        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(sandbox.ssh("curl -s " + nginx.url("/release")).stdout().strip()).as("a answers once up returned").isEqualTo(a);
        RequestStream stream = new RequestStream(nginx.url("/release"));
        DeployFixture.Run up = vm.up(b, proxy);
        RequestStream.Tally tally = stream.stop();
        assertThat(up.exit()).as(up.all()).isZero();
        assertThat(tally.failed()).as(tally.toString()).isZero();
        assertThat(tally.bodies()).containsKeys("200 " + a, "200 " + b);
    }

    @Test
    void aCrashLoopingReleaseWithoutHealthcheckFailsInRestartMode() throws Exception {
        DeployFixture vm = fixture("restart-crash-loop", List.of("    restart: unless-stopped", "    healthcheck:",
                "      disable: true"));
        String a = randomSha();
        String crash = randomSha();
        release(vm, a, Map.of());
        // Exits with status 3 a second after each start; docker starts it again at once, and again.
        release(vm, crash, Map.of("CRASH", "true"));
        vm.defaultStartSettle(); // the crash loop must show within the settle time
        assertThat(vm.up(a).exit()).isZero();
        DeployFixture.Run up = vm.up(crash);
        assertThat(up.exit()).as(up.all()).isEqualTo(1);
        assertThat(vm.status().out()).contains("current:  " + a);
    }

    @Test
    void restartModeDropsRequestsWhileTheAppStarts() throws Exception {
        DeployFixture vm = fixture("proxy-restart");
        String a = randomSha();
        String b = randomSha();
        release(vm, a, Map.of());
        release(vm, b, Map.of());
        ProxyNginx nginx = nginx(vm, vm.port);
        assertThat(vm.up(a).exit()).isZero();
        RequestStream stream = new RequestStream(nginx.url("/release"));
        DeployFixture.Run up = vm.up(b);
        RequestStream.Tally tally = stream.stop();
        assertThat(up.exit()).as(up.all()).isZero();
        // Stop first: nothing listens for the app's start-up delay, and Nginx answers 502 meanwhile.
        assertThat(tally.failed()).as(tally.toString()).isPositive();
    }

    private static DeployFixture.Run deploy(DeployFixture vm, ProxyNginx nginx, String sha, String... more) {
        return cli(args(List.of("deploy"), vm.conn(), vm.compose(), List.of("--sha", sha, "--health-timeout", "30"), vm.login(),
                List.of("--url", nginx.url("/actuator/health"), "--timeout", "4", "--interval", "200"), List.of(more)));
    }

    /** When the running container of a slot started (docker's StartedAt). */
    private String startedAt(DeployFixture vm, String slot) {
        String started = sandbox.ssh("docker inspect --format '{{.State.StartedAt}}' $(docker ps -q --filter"
                + " label=com.docker.compose.service=" + slot + " --filter label=com.docker.compose.project.working_dir=" + vm.dir
                + ")").stdout().strip();
        assertThat(started).as(slot + " runs").isNotBlank();
        return started;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition not met within " + millis + " ms").isLessThan(end);
            Thread.sleep(200);
        }
    }
}
