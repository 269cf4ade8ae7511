package kr.everbit.deploy.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxyScripts;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM side's recovery of an interrupted switch, run in a real shell against a double of the docker CLI (a stub on
 * PATH that answers as dockerd would for one container, and can hang or report the container exited): what it
 * restores, what the ledger then says, its time limit, the lock it lets go, and the in-flight file read as data.
 */
class RecoveryScriptTest {
    private static final String REPO = "127.0.0.1:5000/everbit/server";
    private static final String GOOD = REPO + ":aaaaaaa";
    private static final String NEW = REPO + ":bbbbbbb";
    /** The double of the docker CLI: the calls it gets are logged; files in its dir make it hang or fail. */
    private static final String STUB = String.join("\n",
            "#!/bin/sh",
            "echo \"$*\" >> \"$STUB_DIR/calls\"",
            "case \"$*\" in",
            "  'compose version') exit 0 ;;",
            "  compose*' up '*) [ ! -f \"$STUB_DIR/hang\" ] || { echo $$ >> \"$STUB_DIR/hung\"; exec sleep 300; }; exit 0 ;;",
            "  compose*' stop '*) exit 0 ;;",
            "  'ps -a --format '*) printf 'proj\\t%s\\n' \"$(pwd -P)\" ;;",
            "  'ps -aq '*|'ps -q '*) echo cid1 ;;",
            // Status, health, then start time/restart count, as everbit_wait_healthy asks for them.
            "  inspect*) echo \"$(cat \"$STUB_DIR/state\" 2>/dev/null || echo 'running healthy') 2026-01-01T00:00:00Z/0\" ;;",
            "esac",
            "");
    @TempDir
    Path tmp;
    private Path dir;
    private Path bin;
    private RemoteScripts scripts() {
        return new RemoteScripts(new ComposeProject(dir.toString(), List.of("compose.yaml"), "server", ImageRef.of(REPO)));
    }

    @BeforeEach
    void vm() throws IOException {
        dir = Files.createDirectories(tmp.resolve("deploy"));
        Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
        Files.createDirectories(dir.resolve(".everbit"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("docker"), STUB);
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Ran(int exit, String out) {
    }

    /** Runs scripts as the session does: the library loaded, the project opened and the lock taken in the shell, then {@code more}. */
    private Process session(String shell, String... more) throws IOException {
        StringBuilder text = new StringBuilder("{\n" + RemoteLibrary.load() + "\n" + scripts().openProject().body() + "\n} </dev/null\n{\n"
                + scripts().lock(5, "ops deploying bbbbbbb").body() + "\n} </dev/null\n");
        for (String m : more) {
            text.append(m).append('\n');
        }
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", text.toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("STUB_DIR", tmp.toString());
        builder.environment().put("DOCKER_CONFIG", ComposeV2Config.in(tmp).toString());
        return builder.start();
    }

    private Ran run(String... more) throws Exception {
        Process p = session("sh", more);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out);
    }

    private static String inSubshell(RemoteScript script) {
        return "( " + script.body() + "\n) </dev/null; echo \"rc=$?\"";
    }

    /** A switch from GOOD to NEW marked in flight, then the session and its guardian gone (a VM reboot). */
    private void leftInFlight(int health) throws Exception {
        RemoteScripts s = scripts();
        LedgerEntry interrupted = new LedgerEntry("bbbbbbb", NEW, null, "deploy", "failed", "aaaaaaa", "t0",
                RemoteScripts.RECOVERY_TIME, "ops", "interrupted before it became healthy");
        LedgerEntry restored = new LedgerEntry("aaaaaaa", GOOD, null, "rollback", "success", "bbbbbbb",
                RemoteScripts.RECOVERY_TIME, RemoteScripts.RECOVERY_TIME, "ops", "automatic");
        LedgerEntry notRestored = new LedgerEntry("aaaaaaa", GOOD, null, "rollback", "failed", "bbbbbbb",
                RemoteScripts.RECOVERY_TIME, RemoteScripts.RECOVERY_TIME, "ops", "automatic; not healthy");
        Ran begun = run(s.writePin(ComposeProject.PIN_FILE, GOOD).body(),
                "{ " + s.beginSwitch(RemoteScripts.writePinCall(ComposeProject.RESTORE_PIN_FILE, GOOD), "image " + GOOD, health,
                        List.of(Ledger.toJson(interrupted), Ledger.toJson(restored)),
                        List.of(Ledger.toJson(interrupted), Ledger.toJson(notRestored))).body() + "\n} </dev/null",
                "kill -9 \"$everbit_guardian\"",
                s.writePin(ComposeProject.PIN_FILE, NEW).body());
        assertThat(begun.exit()).as(begun.out()).isZero();
        Files.writeString(dir.resolve(ComposeProject.LEDGER_FILE), Ledger.toJson(new LedgerEntry("aaaaaaa", GOOD, null,
                "deploy", "success", null, "t", "t", "ops", null)) + "\n");
    }

    private List<String> results() throws IOException {
        return Files.readAllLines(dir.resolve(ComposeProject.LEDGER_FILE)).stream()
                .map(l -> Ledger.parse(List.of(l)).entries().get(0))
                .map(e -> e.sha() + " " + e.action() + " " + e.result()).toList();
    }

    private String pin() throws IOException {
        return Files.readString(dir.resolve(ComposeProject.PIN_FILE));
    }

    @Test
    void aRestoreThatDoesNotBecomeHealthyIsRecordedAsFailedAndSaidSo() throws Exception {
        leftInFlight(5);
        Files.writeString(tmp.resolve("state"), "exited none\n");

        Ran recovered = run(inSubshell(scripts().recoverLeftover(60)));
        assertThat(recovered.out()).contains("rc=1").contains("did not end healthy").contains("the VM runs nothing healthy");
        assertThat(results()).containsExactly("aaaaaaa deploy success", "bbbbbbb deploy failed", "aaaaaaa rollback failed");
        assertThat(Ledger.parse(Files.readAllLines(dir.resolve(ComposeProject.LEDGER_FILE))).currentRestoreFailed()).isTrue();
        assertThat(dir.resolve(ComposeProject.INFLIGHT_FILE)).doesNotExist();
    }

    @Test
    void aRecoveryCutOffAfterAnyOfItsStepsIsFinishedByTheNextOneOnce() throws Exception {
        for (String cut : List.of("before it started", "after the pin was copied", "after it decided", "after the ledger append")) {
            Files.deleteIfExists(tmp.resolve("calls"));
            leftInFlight(5);
            switch (cut) {
                case "after the pin was copied" -> Files.copy(dir.resolve(ComposeProject.RESTORE_PIN_FILE), dir.resolve(ComposeProject.PIN_FILE),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                case "after it decided", "after the ledger append" -> {
                    // A whole recovery, then its clean-up undone: the state a cut between its last steps leaves.
                    Path keep = tmp.resolve("keep");
                    Files.createDirectories(keep);
                    for (String f : List.of(ComposeProject.INFLIGHT_FILE, ComposeProject.RESTORE_PIN_FILE)) {
                        Files.copy(dir.resolve(f), keep.resolve(Path.of(f).getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    String ledgerBefore = Files.readString(dir.resolve(ComposeProject.LEDGER_FILE));
                    Ran first = run(inSubshell(scripts().recoverLeftover(60)));
                    assertThat(first.out()).contains("rc=0");
                    List<String> lines = Files.readAllLines(dir.resolve(ComposeProject.LEDGER_FILE));
                    Files.writeString(dir.resolve(RemoteScripts.RECORD_FILE), "healthy\n"
                            + String.join("\n", lines.subList(1, lines.size())) + "\n");
                    for (String f : List.of(ComposeProject.INFLIGHT_FILE, ComposeProject.RESTORE_PIN_FILE)) {
                        Files.copy(keep.resolve(Path.of(f).getFileName()), dir.resolve(f));
                    }
                    if (cut.equals("after it decided")) {
                        Files.writeString(dir.resolve(ComposeProject.LEDGER_FILE), ledgerBefore);
                    }
                }
                default -> { }
            }
            Ran next = run(inSubshell(scripts().recoverLeftover(60)));
            assertThat(next.out()).as(cut).contains("rc=0");
            assertThat(results()).as(cut).containsExactly("aaaaaaa deploy success", "bbbbbbb deploy failed", "aaaaaaa rollback success");
            assertThat(pin()).as(cut).contains(GOOD);
            assertThat(Files.readString(tmp.resolve("calls"))).as(cut + ": the first release's branch never runs")
                    .doesNotContain(" stop ");
            for (String f : List.of(ComposeProject.INFLIGHT_FILE, ComposeProject.RESTORE_PIN_FILE, RemoteScripts.RECORD_FILE)) {
                assertThat(dir.resolve(f)).as(cut).doesNotExist();
            }
        }
    }

    @Test
    void aHungComposeIsEndedAtTheRecoveryLimitAndTheRestoreRecordedAsFailed() throws Exception {
        leftInFlight(1);
        Files.writeString(tmp.resolve("hang"), "");
        String inflight = Files.readString(dir.resolve(ComposeProject.INFLIGHT_FILE));
        // The limit the file names (health + margin), made short for the test.
        Files.writeString(dir.resolve(ComposeProject.INFLIGHT_FILE), inflight.replaceFirst("^1 \\d+\n", "1 2\n"));

        long started = System.nanoTime();
        Ran recovered = run(inSubshell(scripts().recoverLeftover(60)));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(recovered.out()).contains("rc=1").contains("did not finish within 2s");
        assertThat(seconds).as("bounded by the limit, not by the hung compose's 300 s").isLessThan(60);
        assertThat(results()).last().isEqualTo("aaaaaaa rollback failed");
        assertThat(lockFree()).isTrue();
    }

    @Test
    void killingTheGuardianFreesTheLockWithinASecondAndTheHolderNamedIt() throws Exception {
        Files.writeString(tmp.resolve("hang"), "");
        RemoteScripts s = scripts();
        Process session = session("sh", "{ " + s.beginSwitch(RemoteScripts.writePinCall(ComposeProject.RESTORE_PIN_FILE, GOOD), "image " + GOOD, 30,
                List.of(), List.of()).body() + "\n} </dev/null", "echo begun", "exec sleep 300");
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(session.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("begun")) {
                // compose=v2, then the switch is in flight
            }
            session.destroyForcibly().waitFor();
            Path holder = dir.resolve(".everbit/lock.holder");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(holder).startsWith("the guardian") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String named = Files.readString(holder);
            assertThat(named).startsWith("the guardian (pid ").contains("since ").contains("ops deploying bbbbbbb");
            while (!Files.exists(tmp.resolve("hung")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(tmp.resolve("hung")).as("the restore has started, and hangs").exists();
            assertThat(lockFree()).as("the guardian holds the lock while it recovers").isFalse();

            long pid = Long.parseLong(named.substring("the guardian (pid ".length(), named.indexOf(')')));
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
            long killed = System.nanoTime();
            while (!lockFree() && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(50);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)).isLessThan(1000);
        } finally {
            session.destroyForcibly();
            killListed(tmp.resolve("hung"));
        }
    }

    @Test
    void aReloadThatStartsADaemonDoesNotKeepTheLock() throws Exception {
        // A double of ps showing one Nginx master and its worker; the reload replaces the worker, as Nginx's does, so
        // that the switch sees the reload taken.
        Files.writeString(bin.resolve("ps"), "#!/bin/sh\ncat \"$STUB_DIR/ps\"\n");
        Files.setPosixFilePermissions(bin.resolve("ps"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tmp.resolve("ps"), "  20     1 nginx: master process\n  21    20 nginx: worker process\n");
        String reload = "printf '  20     1 nginx: master process\\n  22    20 nginx: worker process\\n' > " + tmp.resolve("ps")
                + "; sleep 300 </dev/null >/dev/null 2>&1 & echo $! > " + tmp.resolve("daemon");
        ProxySettings settings = new ProxySettings(".everbit/nginx/upstream.conf", "true", reload, null, 8080, 8080, null,
                10, 600);
        ProxyScripts proxy = new ProxyScripts(new ComposeProject(dir.toString(), List.of("compose.yaml"), "server",
                ImageRef.of(REPO)), scripts(), settings);
        Ran swapped = run(inSubshell(proxy.swap("server server-blue:8080;\n", "server-blue " + GOOD + " server-blue:8080", null, 0)));
        assertThat(swapped.out()).contains("rc=0");
        try {
            assertThat(Files.readString(tmp.resolve("daemon"))).as("the daemon runs").isNotBlank();
            assertThat(lockFree()).as("the session has ended; the daemon its reload started must not hold deploy.lock").isTrue();
        } finally {
            killListed(tmp.resolve("daemon"));
        }
    }

    /** Ends the processes this test's doubles started (their pids, one a line). */
    private static void killListed(Path pids) throws Exception {
        if (Files.exists(pids)) {
            for (String pid : Files.readAllLines(pids)) {
                new ProcessBuilder("kill", "-9", pid.strip()).start().waitFor();
            }
        }
    }

    @Test
    void aHostileInflightFileIsRefusedNamingItsLineAndRunsNothing() throws Exception {
        Path marker = tmp.resolve("pwned");
        List<String> hostile = List.of(
                "x[$(touch " + marker + ")] 60\nrestore none\n",
                "30 1+a[$(touch " + marker + ")]\nrestore none\n",
                "30 150\nrestore image $(touch " + marker + ")\n",
                "30 150\nrestore image " + REPO + ":aaaaaaa\nhealthy {}\n$(touch " + marker + ")\n",
                "30 150\nrestore image other/repo:aaaaaaa\n");
        for (String text : hostile) {
            for (String shell : List.of("sh", "bash")) {
                Files.writeString(dir.resolve(ComposeProject.INFLIGHT_FILE), text);
                Process p = session(shell.equals("bash") ? "bash" : "sh", (shell.equals("bash") ? "set -o posix\n" : "")
                        + inSubshell(scripts().recoverLeftover(60)));
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor();
                assertThat(out).as(shell + ": " + text).contains("rc=" + RemoteScripts.DAMAGED)
                        .contains(".everbit/inflight line").contains("nothing was run");
                assertThat(marker).as(shell + ": " + text).doesNotExist();
                assertThat(dir.resolve(ComposeProject.INFLIGHT_FILE)).as("left for the operator").exists();
            }
        }
    }

    private boolean lockFree() throws Exception {
        Process p = new ProcessBuilder("flock", "-n", dir.resolve(".everbit/deploy.lock").toString(), "true").start();
        return p.waitFor() == 0;
    }
}
