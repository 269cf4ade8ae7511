package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** A rollback while the registry is down: this test runs its own registry (Debian's) so that it can stop it. */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
class RegistryDownE2ETest {
    private final Sandbox sandbox = Sandbox.get();
    private Process registry;
    private DeployFixture vm;

    @TempDir
    Path storage;

    @AfterEach
    void stop() throws Exception {
        if (vm != null) {
            vm.close();
        }
        if (registry != null) {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void rollbackUsesTheImageKeptOnTheVmAndPullsOnlyWhenItIsGone() throws Exception {
        int port = DeployFixture.freePort();
        Path config = Files.writeString(storage.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + storage.resolve("data"),
                "http:",
                "  addr: 127.0.0.1:" + port,
                ""));
        startRegistry(config);
        vm = new DeployFixture(sandbox, "registry-down", null, "127.0.0.1:" + port);
        String first = randomSha();
        String second = randomSha();
        vm.release(first);
        vm.release(second);
        assertThat(vm.up(first).exit()).isZero();
        assertThat(vm.up(second).exit()).isZero();

        stopRegistry();
        DeployFixture.Run back = vm.rollback("previous");
        assertThat(back.exit()).as(back.all()).isZero();
        assertThat(back.err()).contains("still on the VM: no registry needed");
        assertThat(vm.serving()).isEqualTo(first);

        assertThat(sandbox.ssh("docker image rm " + vm.image + ":" + second).ok()).isTrue();
        DeployFixture.Run gone = vm.rollback(second);
        assertThat(gone.exit()).isEqualTo(1);
        // by the digest the ledger recorded for that release, not by a tag someone may have pushed again
        assertThat(gone.err()).contains("no longer on the VM").containsPattern("pulling " + java.util.regex.Pattern.quote(vm.image)
                + "@sha256:[0-9a-f]{64} on the VM failed");
        assertThat(vm.serving()).isEqualTo(first);

        startRegistry(config);
        DeployFixture.Run pulled = vm.rollback(second);
        assertThat(pulled.exit()).as(pulled.all()).isZero();
        assertThat(vm.serving()).isEqualTo(second);
    }

    private void startRegistry(Path config) throws Exception {
        registry = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(storage.resolve("registry.log").toFile()).start();
        String url = "http://" + Files.readString(config).lines().filter(l -> l.contains("addr:")).findFirst().orElseThrow()
                .replace("addr:", "").strip() + "/v2/";
        for (int i = 0; i < 100; i++) {
            try {
                java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the test registry did not start: " + Files.readString(storage.resolve("registry.log")));
    }

    private void stopRegistry() throws Exception {
        registry.destroy();
        assertThat(registry.waitFor(10, TimeUnit.SECONDS)).isTrue();
        registry = null;
    }
}
