package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Hostile values in every argument that reaches the VM or a command line: each is refused with exit 2 or reaches
 * the VM as an inert word. The proof is a marker file that any executed payload would create.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
class InjectionE2ETest {
    private final Sandbox sandbox = Sandbox.get();
    private DeployFixture vm;

    @AfterEach
    void removeContainers() {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void noArgumentCanRunACommandOnTheVm() throws Exception {
        vm = new DeployFixture(sandbox, "injection");
        String sha = randomSha();
        vm.release(sha);
        Path marker = vm.dir.resolve("pwned");
        List<String> payloads = List.of("$(touch " + marker + ")", "`touch " + marker + "`", "; touch " + marker,
                "' ; touch " + marker + " ; '", "\" ; touch " + marker + " ; \"", "| touch " + marker);

        for (String p : payloads) {
            expectNotRun(marker, 1, with(vm.conn(), "--dir", vm.dir + "/x" + p), vm.compose(), "--sha", sha);
            expectNotRun(marker, 1, vm.conn(), with(vm.compose(), "--compose", "c" + p + ".yaml"), "--sha", sha);
            expectNotRun(marker, 2, vm.conn(), with(vm.compose(), "--service", "server" + p), "--sha", sha);
            expectNotRun(marker, 2, vm.conn(), with(vm.compose(), "--image", vm.image + p), "--sha", sha);
            expectNotRun(marker, 2, vm.conn(), vm.compose(), "--sha", sha + p);
            expectNotRun(marker, 2, with(vm.conn(), "--user", "everbit" + p), vm.compose(), "--sha", sha);
            expectNotRun(marker, 2, with(vm.conn(), "--host", "-oProxyCommand=" + p), vm.compose(), "--sha", sha);
            expectNotRun(marker, 2, vm.conn(), vm.compose(), "--sha", sha, "--registry-user", "u" + p,
                    "--registry-token-file", sandbox.registryTokenFile().toString());
        }

        // Free text is recorded as text: the actor in the lock holder and the ledger, the reason of a rollback.
        String actor = "ops " + payloads.get(0) + payloads.get(3);
        assertThat(vm.up(sha, "--actor", actor).exit()).isZero();
        assertThat(vm.rollback(sha, "--reason", payloads.get(1) + payloads.get(4), "--actor", actor).exit()).isZero();
        assertThat(Files.readString(vm.dir.resolve(".everbit/releases.jsonl"))).contains("touch " + marker);
        assertThat(marker).doesNotExist();
    }

    /**
     * The files under DIR/.everbit/ are data: hostile values in them (as a hand edit, a damaged disk or another user
     * of the VM could leave) are reported or refused, naming the file and line, and run nothing: no stack trace, no
     * command, no crafted pin.
     */
    @Test
    void noValueReadBackFromTheVmRunsACommand() throws Exception {
        vm = new DeployFixture(sandbox, "injection-files");
        String a = randomSha();
        String b = randomSha();
        vm.release(a);
        vm.release(b);
        Path marker = vm.dir.resolve("pwned");
        Path state = vm.dir.resolve(".everbit");
        assertThat(vm.up(a).exit()).isZero();
        Path ledger = state.resolve("releases.jsonl");
        String good = Files.readString(ledger);

        // A ledger line "null" (a NullPointerException in every command before) and a crafted image that would have
        // written privileged: true and the host's root into pin.yaml, started by the next restore.
        String crafted = "{\"sha\":\"" + a + "\",\"image\":\"" + vm.image + ":" + a + "\\\"\\n    privileged: true\\n"
                + "    volumes: [\\\"/:/host\\\"]\\n    x: \\\"\",\"action\":\"deploy\",\"result\":\"success\"}";
        sandbox.writeAsSshUser(ledger, good + "null\n" + crafted + "\n");
        DeployFixture.Run status = vm.status();
        assertThat(status.exit()).as(status.all()).isZero();
        assertThat(status.out()).contains("2 ledger lines could not be read").contains("lines 2, 3 of .everbit/releases.jsonl");
        vm.slowToBecomeHealthy(b);
        DeployFixture.Run failed = cli(args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", b, "--health-timeout", "3"),
                vm.login()));
        assertThat(failed.exit()).as(failed.all()).isEqualTo(1);
        assertThat(failed.err()).contains("unreadable lines (lines 2, 3)").doesNotContain("Exception");
        assertThat(Files.readString(state.resolve("pin.yaml"))).doesNotContain("privileged").contains(vm.image + ":" + a + "\"");
        assertThat(vm.serving()).isEqualTo(a);

        // proxy.warm naming a service "$(touch ...)", and an epoch out of range (a DateTimeException before).
        for (String warm : List.of("$(touch " + marker + ") " + vm.image + ":" + a + " 127.0.0.1:1 1",
                "server-green " + vm.image + ":" + a + " 127.0.0.1:1 99999999999999999")) {
            sandbox.writeAsSshUser(state.resolve("proxy.warm"), warm + "\n");
            DeployFixture.Run shown = vm.status();
            assertThat(shown.exit()).as(shown.all()).isZero();
            assertThat(shown.out()).contains(".everbit/proxy.warm line 1 is not what everbit-deploy writes");
            DeployFixture.Run proxy = cli(args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", b, "--switch", "proxy",
                    "--proxy-port", "1", "--proxy-port", "2", "--proxy-host", "127.0.0.1"), vm.login()));
            assertThat(proxy.exit()).as(proxy.all()).isEqualTo(1);
            assertThat(proxy.err()).contains("proxy.warm line 1 is not what everbit-deploy writes").contains("nothing was changed")
                    .doesNotContain("Exception");
        }
        Files.delete(state.resolve("proxy.warm"));

        // An in-flight file whose first line is shell arithmetic that runs a command (under bash --posix too).
        sandbox.writeAsSshUser(state.resolve("inflight"), "1+a[$(touch " + marker + ")] 60\nrestore none\n");
        DeployFixture.Run refused = vm.up(b);
        assertThat(refused.exit()).as(refused.all()).isEqualTo(1);
        assertThat(refused.err()).contains(".everbit/inflight line 1 is not what everbit-deploy writes").contains("nothing was run");
        assertThat(vm.serving()).isEqualTo(a);
        assertThat(marker).doesNotExist();
    }

    private void expectNotRun(Path marker, int exit, List<String> conn, List<String> compose, String... more) {
        DeployFixture.Run run = cli(args(List.of("up"), conn, compose, List.of(more)));
        assertThat(run.exit()).as(String.join(" ", more) + "\n" + run.all()).isEqualTo(exit);
        assertThat(marker).as("payload ran: " + run.all()).doesNotExist();
    }

    private static List<String> with(List<String> options, String name, String value) {
        List<String> copy = new ArrayList<>(options);
        copy.set(copy.indexOf(name) + 1, value);
        return copy;
    }
}
