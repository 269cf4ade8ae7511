package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interrupted path, against the sandbox VM: a command killed at several moments (with or without its ssh
 * client), interrupted with Ctrl-C, cut off by a connection that goes silent, a VM shell that never answers, a
 * damaged ledger and a late automatic rollback. After each, the invariant: within a bounded time the lock is free,
 * nothing is left in flight, and the VM runs the release that the ledger calls current.
 */
class FaultsE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Sandbox sandbox = Sandbox.get();
    private final List<DeployFixture> fixtures = new ArrayList<>();
    private final List<ProcessHandle> spawned = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        spawned.forEach(ProcessHandle::destroyForcibly);
        fixtures.forEach(DeployFixture::close);
    }

    private DeployFixture fixture(String name) throws IOException {
        DeployFixture fixture = new DeployFixture(sandbox, name);
        fixtures.add(fixture);
        return fixture;
    }

    private enum Kill { TOOL_AND_SSH, TOOL_ALONE, CTRL_C }

    @Test
    void anUpKilledDuringThePullLeavesTheReleaseBeforeIt() throws Exception {
        DeployFixture vm = fixture("kill-pull");
        String good = randomSha();
        String next = randomSha();
        vm.release(good);
        vm.release(next);
        assertThat(vm.up(good).exit()).isZero();

        interrupt(vm, upArgs(vm, next), "Pulling server", 0, Kill.TOOL_AND_SSH);
        assertInvariant(vm, good, Duration.ofSeconds(60));
    }

    @Test
    void anUpKilledRightAfterThePinRestoresTheReleaseBeforeItAndRecordsTheInterruption() throws Exception {
        DeployFixture vm = fixture("kill-pin");
        String good = randomSha();
        String slow = randomSha();
        vm.release(good);
        vm.release(slow);
        assertThat(vm.up(good).exit()).isZero();
        vm.slowToBecomeHealthy(slow);

        interrupt(vm, upArgs(vm, slow), "[ok] pin", 0, Kill.TOOL_AND_SSH);
        assertInvariant(vm, good, Duration.ofSeconds(60));
        List<JsonNode> history = history(vm);
        JsonNode interrupted = history.get(history.size() - 2);
        assertThat(interrupted.get("sha").asText()).isEqualTo(slow);
        assertThat(interrupted.get("result").asText()).isEqualTo("failed");
        assertThat(interrupted.get("reason").asText()).contains("interrupted");
        assertThat(history.get(history.size() - 1).get("at").asText()).as("the recovery's own time").matches("\\d{4}-.*Z");
        assertThat(Files.readString(vm.dir.resolve(".everbit/pin.yaml"))).contains(":" + good);
    }

    @Test
    void anUpKilledAloneDuringTheHealthWaitIsRestoredByTheVm() throws Exception {
        DeployFixture vm = fixture("kill-alone");
        String good = randomSha();
        String slow = randomSha();
        vm.release(good);
        vm.release(slow);
        assertThat(vm.up(good).exit()).isZero();
        vm.slowToBecomeHealthy(slow);

        interrupt(vm, upArgs(vm, slow), "[ok] pin", 2000, Kill.TOOL_ALONE);
        assertInvariant(vm, good, Duration.ofSeconds(60));
    }

    @Test
    void ctrlCDuringTheHealthWaitRestoresTheReleaseBeforeIt() throws Exception {
        DeployFixture vm = fixture("ctrl-c");
        String good = randomSha();
        String slow = randomSha();
        vm.release(good);
        vm.release(slow);
        assertThat(vm.up(good).exit()).isZero();
        vm.slowToBecomeHealthy(slow);

        interrupt(vm, upArgs(vm, slow), "[ok] pin", 2000, Kill.CTRL_C);
        assertInvariant(vm, good, Duration.ofSeconds(60));
    }

    @Test
    void aRollbackKilledDuringTheHealthWaitLeavesTheReleaseItLeft() throws Exception {
        DeployFixture vm = fixture("kill-rollback");
        String old = randomSha();
        String current = randomSha();
        vm.release(old);
        vm.release(current);
        assertThat(vm.up(old).exit()).isZero();
        assertThat(vm.up(current).exit()).isZero();
        vm.slowToBecomeHealthy(old);

        interrupt(vm, args(List.of("rollback"), vm.conn(), vm.compose(), List.of("--to", old, "--health-timeout", "120")),
                "[ok] pin", 2000, Kill.TOOL_AND_SSH);
        assertInvariant(vm, current, Duration.ofSeconds(60));
    }

    @Test
    void aDeployKilledWhileItVerifiesLeavesTheReleaseBeforeItAndRecordsTheFailedVerification() throws Exception {
        DeployFixture vm = fixture("kill-verify");
        String good = randomSha();
        String next = randomSha();
        vm.release(good);
        vm.release(next);
        assertThat(vm.up(good).exit()).isZero();

        String nothingListens = "http://127.0.0.1:" + DeployFixture.freePort() + "/";
        interrupt(vm, args(List.of("deploy"), vm.conn(), vm.compose(), vm.login(), List.of("--sha", next, "--health-timeout",
                "30", "--url", nothingListens, "--timeout", "120")), "verifying " + next, 1000, Kill.TOOL_AND_SSH);
        assertInvariant(vm, good, Duration.ofSeconds(60));
        assertThat(history(vm)).anySatisfy(e -> {
            assertThat(e.get("sha").asText()).isEqualTo(next);
            assertThat(e.get("action").asText()).isEqualTo("verify");
            assertThat(e.get("result").asText()).isEqualTo("failed");
        });
    }

    /** A restore that does not become healthy is recorded as failed, and said so, never as a success. */
    @Test
    void aRestoreThatDoesNotBecomeHealthyIsRecordedAsFailed() throws Exception {
        DeployFixture vm = fixture("restore-fails");
        String good = randomSha();
        String next = randomSha();
        vm.release(good);
        vm.release(next);
        assertThat(vm.up(good).exit()).isZero();
        vm.neverHealthy();

        interrupt(vm, args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", next, "--health-timeout", "5"), vm.login()),
                "[ok] pin", 1000, Kill.TOOL_AND_SSH);
        awaitLockFree(vm, Duration.ofSeconds(90));
        assertThat(vm.dir.resolve(".everbit/inflight")).doesNotExist();
        List<JsonNode> history = history(vm);
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("sha").asText()).isEqualTo(good);
        assertThat(last.get("action").asText()).isEqualTo("rollback");
        assertThat(last.get("result").asText()).as("the restore did not become healthy").isEqualTo("failed");
        assertThat(Files.readString(vm.dir.resolve(".everbit/recovery.log"))).contains("did not end healthy")
                .contains("the VM runs nothing healthy");
        assertThat(vm.status().out()).contains("WARNING: the last restore of " + good).contains("runs nothing healthy");
    }

    /**
     * The guardian's restore hangs in compose (its compose file is a FIFO nobody writes): the holder file
     * names the guardian, and killing it frees the lock within a second, since nothing it started holds the lock's
     * descriptor; the next command finishes the recovery.
     */
    @Test
    void killingTheGuardianOfAHungRestoreFreesTheLockAtOnceAndTheNextCommandFinishesIt() throws Exception {
        DeployFixture vm = fixture("kill-guardian");
        String good = randomSha();
        String slow = randomSha();
        vm.release(good);
        vm.release(slow);
        assertThat(vm.up(good).exit()).isZero();
        vm.slowToBecomeHealthy(slow);
        Process tool = start(upArgs(vm, slow));
        awaitLine(tool, "[ok] pin");
        // From now on compose blocks when it reads the compose file: a FIFO nobody writes.
        Path compose = vm.dir.resolve("compose.yaml");
        String content = Files.readString(compose);
        Files.delete(compose);
        assertThat(new ProcessBuilder("mkfifo", compose.toString()).start().waitFor()).isZero();
        sandbox.giveToSshUser(compose);
        tool.descendants().forEach(ProcessHandle::destroyForcibly);
        tool.destroyForcibly().waitFor();

        Path holder = vm.dir.resolve(".everbit/lock.holder");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(holder).startsWith("the guardian") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String named = Files.readString(holder);
        assertThat(named).startsWith("the guardian (pid ").contains("deploying " + slow);
        Thread.sleep(2000);
        assertThat(localLockFree(vm)).as("the guardian holds the lock while its restore hangs").isFalse();
        long pid = Long.parseLong(named.substring("the guardian (pid ".length(), named.indexOf(')')));
        assertThat(new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor()).isZero();
        long killed = System.nanoTime();
        while (!localLockFree(vm) && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(20);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)).as("the lock is free").isLessThan(1000);

        // The compose file back, then the hung compose unblocked (it then finishes its restore, unrecorded): the
        // next command finds the switch still in flight and finishes it.
        Path fifo = vm.dir.resolve("compose.fifo");
        Files.move(compose, fifo);
        sandbox.writeAsSshUser(compose, content);
        new ProcessBuilder("timeout", "5", "sh", "-c", "cat \"$1\" > \"$2\"", "sh", compose.toString(), fifo.toString())
                .start().waitFor();
        DeployFixture.Run status = vm.status();
        assertThat(status.out()).contains("in flight");
        DeployFixture.Run next = vm.rollback(good);
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(next.all()).contains("did not finish and was not recovered; recovering it now");
        assertInvariant(vm, good, Duration.ofSeconds(30));
        List<JsonNode> history = history(vm);
        assertThat(history).anySatisfy(e -> {
            assertThat(e.get("sha").asText()).isEqualTo(slow);
            assertThat(e.get("result").asText()).isEqualTo("failed");
        });
    }

    private static boolean localLockFree(DeployFixture vm) throws Exception {
        return new ProcessBuilder("flock", "-n", vm.dir.resolve(".everbit/deploy.lock").toString(), "true").start().waitFor() == 0;
    }

    /** The automatic rollback of a deploy whose release failed its checks is finished on the VM, not undone, when cut off. */
    @Test
    void aDeployKilledDuringItsAutomaticRollbackHasTheRollbackFinished() throws Exception {
        DeployFixture vm = fixture("kill-auto-rollback");
        String good = randomSha();
        String bad = randomSha();
        vm.release(good);
        vm.release(bad);
        vm.healthyAfter(5);
        assertThat(vm.up(good).exit()).isZero();

        String nothingListens = "http://127.0.0.1:" + DeployFixture.freePort() + "/";
        interrupt(vm, args(List.of("deploy"), vm.conn(), vm.compose(), vm.login(), List.of("--sha", bad, "--health-timeout",
                "60", "--url", nothingListens, "--timeout", "3")), "[ok] pin " + vm.image + ":" + good, 1000, Kill.TOOL_AND_SSH);
        assertInvariant(vm, good, Duration.ofSeconds(90));
        List<JsonNode> history = history(vm);
        assertThat(history).anySatisfy(e -> {
            assertThat(e.get("sha").asText()).isEqualTo(bad);
            assertThat(e.get("action").asText()).isEqualTo("verify");
            assertThat(e.get("result").asText()).isEqualTo("failed");
        });
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("sha").asText()).isEqualTo(good);
        assertThat(last.get("action").asText()).isEqualTo("rollback");
        assertThat(last.get("result").asText()).isEqualTo("success");
        assertThat(last.get("reason").asText()).contains("finished on the VM after the command was interrupted");
    }

    /**
     * The connection goes silent (no FIN, no RST) while the deploy waits for health, and the tool then dies: the VM's
     * sshd keeps the session, but the VM side hears no heartbeat, gives the tool up and restores the release before.
     */
    @Test
    void aConnectionThatGoesSilentFreesTheLockWithinAboutAMinute() throws Exception {
        DeployFixture vm = fixture("silent");
        String good = randomSha();
        String slow = randomSha();
        vm.release(good);
        vm.release(slow);
        assertThat(vm.up(good).exit()).isZero();
        vm.slowToBecomeHealthy(slow);

        try (FreezingProxy proxy = new FreezingProxy(sandbox.sshPort())) {
            Path knownHosts = Files.createTempFile("known-hosts-proxy", "");
            Files.writeString(knownHosts, Files.readString(sandbox.sshKnownHosts())
                    .replace("]:" + sandbox.sshPort() + " ", "]:" + proxy.port() + " "));
            List<String> conn = new ArrayList<>(vm.conn());
            conn.set(conn.indexOf("--port") + 1, String.valueOf(proxy.port()));
            conn.set(conn.indexOf("--known-hosts") + 1, knownHosts.toString());
            Process deploy = start(args(List.of("up"), conn, vm.compose(), List.of("--sha", slow, "--health-timeout", "300"), vm.login()));
            awaitLine(deploy, "[ok] pin");
            Thread.sleep(1000);
            proxy.freeze();
            long frozenAt = System.nanoTime();
            deploy.descendants().forEach(ProcessHandle::destroyForcibly);
            deploy.destroyForcibly().waitFor();

            awaitLockFree(vm, Duration.ofSeconds(90));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - frozenAt);
            assertThat(seconds).as("the lock is free within about a minute of the silence").isLessThan(75);
            assertInvariant(vm, good, Duration.ofSeconds(5));
        }
    }

    @Test
    void aVmShellThatNeverAnswersFailsWithinItsLimitSayingWhatToCheck() {
        List<String> conn = new ArrayList<>(fixtureConn());
        conn.set(conn.indexOf("--identity") + 1, sandbox.sshIdentity().resolveSibling("stuck_key").toString());
        long started = System.nanoTime();
        DeployFixture.Run status = cli(args(List.of("status"), conn));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.err()).contains("did not answer within 30s").contains("command=");
        assertThat(seconds).isBetween(25L, 50L);
    }

    @Test
    void aLedgerWithoutItsFinalNewlineKeepsEveryNewEntry() throws Exception {
        DeployFixture vm = fixture("no-newline");
        String a = randomSha();
        String b = randomSha();
        vm.release(a);
        vm.release(b);
        assertThat(vm.up(a).exit()).isZero();
        Path ledger = vm.dir.resolve(".everbit/releases.jsonl");
        sandbox.writeAsSshUser(ledger, Files.readString(ledger).stripTrailing());

        assertThat(vm.up(b).exit()).isZero();
        JsonNode status = JSON.readTree(vm.status("--json").out());
        assertThat(status.get("current").asText()).isEqualTo(b);
        assertThat(vm.ledgerLines()).hasSize(2);
        assertThat(status.get("previous").asText()).isEqualTo(a);
    }

    @Test
    void aTruncatedLastLineIsReportedAndPreviousIsRefusedWhileAnExplicitShaStillWorks() throws Exception {
        DeployFixture vm = fixture("truncated");
        String a = randomSha();
        String b = randomSha();
        vm.release(a);
        vm.release(b);
        assertThat(vm.up(a).exit()).isZero();
        assertThat(vm.up(b).exit()).isZero();
        Path ledger = vm.dir.resolve(".everbit/releases.jsonl");
        String text = Files.readString(ledger);
        sandbox.writeAsSshUser(ledger, text.substring(0, text.length() - 40));

        assertThat(vm.status().out()).contains("WARNING: 1 ledger line could not be read, the last one among them");
        DeployFixture.Run previous = vm.rollback("previous");
        assertThat(previous.exit()).isEqualTo(1);
        assertThat(previous.err()).contains("unreadable line").contains("--to SHA");
        assertThat(vm.serving()).isEqualTo(b);

        DeployFixture.Run explicit = vm.rollback(a);
        assertThat(explicit.exit()).as(explicit.all()).isZero();
        assertThat(explicit.err()).contains("unreadable line");
        assertThat(vm.serving()).isEqualTo(a);
    }

    @Test
    void aLateAutomaticRollbackChangesNothingWhenTheVmHasMovedSince() throws Exception {
        DeployFixture vm = fixture("late-failed-checks");
        String a = randomSha();
        String b = randomSha();
        vm.release(a);
        vm.release(b);
        assertThat(vm.up(a).exit()).isZero();
        assertThat(vm.up(b).exit()).isZero();
        // Someone rolls back to A by hand while B's checks still run elsewhere.
        assertThat(vm.rollback(a, "--reason", "by hand").exit()).isZero();
        int entries = vm.ledgerLines().size();

        DeployFixture.Run late = vm.rollback("previous", "--failed-checks", b);
        assertThat(late.exit()).isEqualTo(1);
        assertThat(late.err()).contains("moved").contains(a).contains("rollback by");
        assertThat(vm.serving()).isEqualTo(a);
        assertThat(vm.ledgerLines()).as("nothing recorded").hasSize(entries);

        DeployFixture.Run badSha = vm.rollback("previous", "--failed-checks", "latest");
        assertThat(badSha.exit()).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private List<String> fixtureConn() {
        return List.of("--host", sandbox.sshHost(), "--port", String.valueOf(sandbox.sshPort()), "--user", sandbox.sshUser(),
                "--identity", sandbox.sshIdentity().toString(), "--known-hosts", sandbox.sshKnownHosts().toString(),
                "--dir", "/nonexistent");
    }

    private static String[] upArgs(DeployFixture vm, String sha) {
        return args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", sha, "--health-timeout", "120"), vm.login());
    }

    /** Runs the CLI as its own process, waits for {@code marker} in its output, waits {@code afterMillis}, then ends it. */
    private void interrupt(DeployFixture vm, String[] cliArgs, String marker, long afterMillis, Kill how) throws Exception {
        Process tool = start(cliArgs);
        Supplier<String> said = ToolProcess.awaitLine(tool, marker);
        Thread.sleep(afterMillis);
        List<ProcessHandle> ssh = tool.descendants().toList();
        spawned.addAll(ssh);
        switch (how) {
            case TOOL_AND_SSH -> {
                ssh.forEach(ProcessHandle::destroyForcibly);
                tool.destroyForcibly();
            }
            case TOOL_ALONE -> tool.destroyForcibly();
            case CTRL_C -> new ProcessBuilder("kill", "-INT", String.valueOf(tool.pid())).start().waitFor();
        }
        // The tool's own cleanup after a signal is bounded (15 s, 5 s per cleanup process); the rest is room for a
        // machine whose one core is busy with other work.
        assertThat(tool.waitFor(60, TimeUnit.SECONDS))
                .as(() -> "the tool ended within 60 s of " + how + "; it said:\n" + said.get()).isTrue();
    }

    private Process start(String[] cliArgs) throws IOException {
        Process process = ToolProcess.start(cliArgs);
        spawned.add(process.toHandle());
        return process;
    }

    private static void awaitLine(Process process, String marker) throws IOException {
        ToolProcess.awaitLine(process, marker);
    }

    private void awaitLockFree(DeployFixture vm, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (lockFree(vm)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the deploy lock of " + vm.dir + " is still held after " + within.toSeconds() + "s");
    }

    private boolean lockFree(DeployFixture vm) {
        return sandbox.ssh("cd " + vm.dir + " && flock -n .everbit/deploy.lock true").ok();
    }

    /** The lock is free within {@code within}; then nothing is in flight and what runs is the ledger's current release. */
    private void assertInvariant(DeployFixture vm, String expected, Duration within) throws Exception {
        awaitLockFree(vm, within);
        assertThat(vm.dir.resolve(".everbit/inflight")).as("no switch left in flight").doesNotExist();
        JsonNode status = JSON.readTree(vm.status("--json").out());
        assertThat(status.get("current").asText()).isEqualTo(expected);
        assertThat(vm.serving()).as("what runs is the ledger's current release").isEqualTo(expected);
        assertThat(Files.readString(vm.dir.resolve(".everbit/pin.yaml"))).contains(":" + expected);
    }

    private List<JsonNode> history(DeployFixture vm) throws IOException {
        List<JsonNode> history = new ArrayList<>();
        JSON.readTree(vm.status("--json").out()).get("history").forEach(history::add);
        return history;
    }
}
