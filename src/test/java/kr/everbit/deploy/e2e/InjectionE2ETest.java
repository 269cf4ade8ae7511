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

/**
 * Hostile values in every argument that reaches the VM or a command line: each is refused with exit 2 or reaches
 * the VM as an inert word. The proof is a marker file that any executed payload would create.
 */
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
