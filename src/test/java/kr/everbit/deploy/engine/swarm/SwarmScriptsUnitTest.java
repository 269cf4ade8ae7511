package kr.everbit.deploy.engine.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.remote.RemoteScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager side's shell (swarm.sh) is checked as code: every script the engine builds from it passes {@code sh -n}
 * and shellcheck; its functions run against a stub docker that records its arguments, and values from outside reach
 * them as single words; what they print back is parsed as data.
 */
class SwarmScriptsUnitTest {
    private static final ImageRef REPO = ImageRef.of("ghcr.io/everbit/server");
    private static final SwarmStack STACK = new SwarmStack("~/app dir", List.of("docker/compose.yaml", "docker/compose.prod.yaml"),
            "server", REPO, "everbit");
    private final SwarmScripts scripts = new SwarmScripts(STACK);

    @TempDir
    Path tmp;

    @Test
    void theFunctionsPassShellcheckAtEverySeverity() throws Exception {
        assertThat(run(List.of("sh", "-n"), SwarmScripts.LIBRARY)).isEqualTo("0:");
        if (new ProcessBuilder("sh", "-c", "command -v shellcheck").start().waitFor() == 0) {
            assertThat(run(List.of("shellcheck", "-s", "sh", "-"), SwarmScripts.LIBRARY)).isEqualTo("0:");
        }
    }

    /** The calls: a value quoted on purpose ($(id) staying text) is only shellcheck's "info", not checked here. */
    @Test
    void everyScriptPassesShAndShellcheck() throws Exception {
        RegistryLogin login = new RegistryLogin("everbit", Secret.ofLine("t0k'en $(id)"));
        for (RemoteScript script : List.of(scripts.manager(), scripts.files(), scripts.lock("alice's $(id) `id`", 600, 30),
                scripts.unlock("abcdefghijklmnopqrstuvwxy"), scripts.lockHeld(), scripts.ledger(), scripts.record(3, "{\"reason\":\"it's $(id)\"}"),
                scripts.pin(REPO.repository() + ":abc1234"), scripts.deploy(login), scripts.deploy(null), scripts.state())) {
            assertThat(run(List.of("sh", "-n"), script.body())).as("sh -n " + script.label()).isEqualTo("0:");
            if (new ProcessBuilder("sh", "-c", "command -v shellcheck").start().waitFor() == 0) {
                assertThat(run(List.of("shellcheck", "-s", "sh", "-S", "warning", "-"), script.body())).as("shellcheck " + script.label()).isEqualTo("0:");
            }
        }
    }

    @Test
    void theTokenTravelsInTheScriptMaskedAndNeverAsAnArgument() throws Exception {
        RegistryLogin login = new RegistryLogin("everbit", Secret.ofLine("s3cret-token"));
        RemoteScript deploy = scripts.deploy(login);
        assertThat(deploy.masked()).doesNotContain("s3cret-token");
        Path calls = stubDocker();
        Files.createDirectories(tmp.resolve("app dir/docker"));
        String out = run(List.of("sh", "-c", "export HOME=\"$1\" PATH=\"$2:$PATH\"; eval \"$3\"", "sh", tmp.toString(),
                tmp.resolve("bin").toString(), deploy.body()), "");
        assertThat(out).startsWith("0:");
        List<String> argv = Files.readAllLines(calls);
        assertThat(argv).filteredOn(l -> !l.startsWith("stdin=")).noneMatch(l -> l.contains("s3cret-token"));
        assertThat(argv).containsSubsequence("login --username everbit --password-stdin ghcr.io", "stdin=s3cret-token");
        assertThat(argv).contains(
                "stack deploy --with-registry-auth -c docker/compose.yaml -c docker/compose.prod.yaml -c .everbit/swarm-pin.yaml everbit");
    }

    @Test
    void thePinNamesTheImageInTheVersionOfTheOperatorsFiles() throws Exception {
        Path dir = tmp.resolve("app dir");
        Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dir.resolve("docker/compose.yaml"), "services:\n  server:\n    image: x\n");
        Files.writeString(dir.resolve("docker/compose.prod.yaml"), "version: '3.8'\nservices: {}\n");
        String out = run(List.of("sh", "-c", "export HOME=\"$1\"; eval \"$2\"", "sh", tmp.toString(),
                scripts.pin(REPO.repository() + ":abc1234").body()), "");
        assertThat(out).isEqualTo("0:");
        assertThat(Files.readString(dir.resolve(".everbit/swarm-pin.yaml")))
                .isEqualTo("version: \"3.8\"\nservices:\n  server:\n    image: \"ghcr.io/everbit/server:abc1234\"\n");
    }

    @Test
    void aLockHeldByAnotherCommandIsReportedWithItsHolderAndAStaleOneIsRemovedByItsId() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Path calls = stubDocker();
        Files.writeString(tmp.resolve("bin/held"), "cfgid0000000000000000000001 " + now + " " + (now + 600) + " alice@ci deploys\n");
        String held = run(List.of("sh", "-c", "export PATH=\"$1:$PATH\"; eval \"$2\"", "sh", tmp.resolve("bin").toString(),
                scripts.lock("bob", 600, 0).body()), "");
        assertThat(held).startsWith("75:").contains("held=" + now + " " + (now + 600) + " alice@ci deploys");
        Files.writeString(tmp.resolve("bin/held"), "cfgid0000000000000000000001 " + (now - 700) + " " + (now - 100) + " alice@ci\n");
        Files.writeString(calls, "");
        String stale = run(List.of("sh", "-c", "export PATH=\"$1:$PATH\"; eval \"$2\"", "sh", tmp.resolve("bin").toString(),
                scripts.lock("bob", 600, 0).body()), "");
        assertThat(stale).contains("stale=cfgid0000000000000000000001").contains("lock=newid");
        assertThat(Files.readAllLines(calls)).contains("config rm cfgid0000000000000000000001");
    }

    /** status names the lock's holder from its labels, and prints nothing for a free lock (config inspect fails). */
    @Test
    void statusReadsTheLocksHolderWithoutTakingIt() throws Exception {
        Path calls = stubDocker();
        Files.writeString(tmp.resolve("bin/held"), "1700000000 1700000600 alice@ci deploys\n");
        String held = run(List.of("sh", "-c", "export PATH=\"$1:$PATH\"; eval \"$2\"", "sh", tmp.resolve("bin").toString(),
                scripts.lockHeld().body()), "");
        assertThat(held).isEqualTo("0:held=1700000000 1700000600 alice@ci deploys\n");
        assertThat(Files.readAllLines(calls)).allSatisfy(c -> assertThat(c).startsWith("config inspect"));
        Files.delete(tmp.resolve("bin/held"));
        String free = run(List.of("sh", "-c", "export PATH=\"$1:$PATH\"; eval \"$2\"", "sh", tmp.resolve("bin").toString(),
                scripts.lockHeld().body()), "");
        assertThat(free).isEqualTo("0:");
    }

    @Test
    void theStateIsReadAsData() {
        String digest = "sha256:" + "a".repeat(64);
        ServiceState state = ServiceState.parse(List.of("image=ghcr.io/everbit/server:abc1234@" + digest, "update=completed",
                "started=2026-12-07 05:00:00 +0000 UTC", "message=update completed", "replicas=2/2 (max 1 per node)",
                "task node-1|ghcr.io/everbit/server:abc1234@" + digest + "|Running 3 seconds ago|",
                "task node-2|ghcr.io/everbit/server:abc1234|Running 1 second ago|"), REPO);
        assertThat(state.image()).isEqualTo("ghcr.io/everbit/server:abc1234");
        assertThat(state.digest()).isEqualTo(digest);
        assertThat(state.runsOnly("ghcr.io/everbit/server:abc1234")).isTrue();
        assertThat(state.runsOnly("ghcr.io/everbit/server:def5678")).isFalse();

        ServiceState foreign = ServiceState.parse(List.of("image=evil.example/x:latest; rm -rf /", "update=weird\u001b[0m",
                "replicas=1/2", "task $(id)|other/image:abc1234|Running|", "task node-2|ghcr.io/everbit/server:abc1234|Starting|"), REPO);
        assertThat(foreign.image()).isNull();
        assertThat(foreign.update()).doesNotContain("\u001b");
        assertThat(foreign.tasks()).extracting(ServiceState.Task::node).containsExactly("", "node-2");
        assertThat(foreign.tasks().get(0).image()).isNull();
        assertThat(foreign.runsOnly("ghcr.io/everbit/server:abc1234")).isFalse();
        assertThat(ServiceState.parse(List.of("absent"), REPO).exists()).isFalse();

        // a node's daemon gone: docker service ls still counts its task as running, the task list shows it pending
        ServiceState nodeDown = ServiceState.parse(List.of("image=ghcr.io/everbit/server:abc1234", "update=updating",
                "replicas=3/3 (max 1 per node)", "task node-1|ghcr.io/everbit/server:abc1234|Running 1 minute ago|",
                "task node-2|ghcr.io/everbit/server:abc1234|Running 1 minute ago|",
                "task |ghcr.io/everbit/server:abc1234|Pending 30 seconds ago|no suitable node (1 node not available)"), REPO);
        assertThat(nodeDown.running()).isEqualTo(2);
        assertThat(nodeDown.desired()).isEqualTo(3);
        assertThat(nodeDown.runsOnly("ghcr.io/everbit/server:abc1234")).isFalse();
    }

    @Test
    void aStackNameIsCheckedBeforeAnythingIsContacted() {
        assertThatThrownBy(() -> new SwarmStack("app", List.of("c.yaml"), "server", REPO, "Bad Name"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{stack} 'Bad Name' is not a stack name");
        assertThatThrownBy(() -> new SwarmStack("app", List.of("c.yaml"), "s".repeat(40), REPO, "x".repeat(30)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("too long");
        assertThat(STACK.ledgerNumber(STACK.ledgerName(42))).isEqualTo(42);
        assertThat(STACK.ledgerNumber("everbit.other_server.000001")).isEqualTo(-1);
    }

    /**
     * A stub docker: records each call's arguments (and, on the next line, a login's stdin) in bin/calls; config create of a lock fails
     * AlreadyExists while bin/held exists, whose line config inspect prints; anything else succeeds ("newid").
     */
    private Path stubDocker() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = bin.resolve("calls");
        Files.writeString(calls, "");
        Path docker = bin.resolve("docker");
        Files.writeString(docker, String.join("\n",
                "#!/bin/sh",
                "here=$(dirname \"$0\")",
                "case \"$1 $2\" in",
                "  'login '*) echo \"$*\" >> \"$here/calls\"; echo \"stdin=$(cat)\" >> \"$here/calls\"; exit 0 ;;",
                "esac",
                "echo \"$*\" >> \"$here/calls\"",
                "case \"$1 $2\" in",
                "  'config create') if [ -f \"$here/held\" ] && [ ! -f \"$here/removed\" ]; then echo 'Error response from daemon: rpc error: code = AlreadyExists desc = config exists' >&2; exit 1; fi; cat > /dev/null; echo newid ;;",
                "  'config inspect') cat \"$here/held\" ;;",
                "  'config rm') touch \"$here/removed\" ;;",
                "esac",
                ""));
        docker.toFile().setExecutable(true);
        return calls;
    }

    private static String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() + ":" + out;
    }
}
