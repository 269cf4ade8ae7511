package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The compose v2 command shape ({@code docker compose ...}). Debian has only compose v1, so the VM user gets a
 * Docker CLI plugin that answers as v2 and hands the arguments to docker-compose: a wrapper, said in the name.
 */
@ResourceLock(Sandbox.VM_USER_FILES)
class ComposeV2E2ETest {
    private final Sandbox sandbox = Sandbox.get();
    private final Path plugins = sandbox.dir().resolve("home/everbit/.docker/cli-plugins");
    private Path calls;
    private DeployFixture vm;

    @BeforeEach
    void installComposeV2WrapperPlugin() throws Exception {
        calls = Files.createTempFile("compose-v2-calls", ".log");
        calls.toFile().setWritable(true, false);
        Files.createDirectories(plugins);
        Files.writeString(plugins.resolve("docker-compose"), String.join("\n",
                "#!/bin/sh",
                "if [ \"$1\" = docker-cli-plugin-metadata ]; then",
                "  echo '{\"SchemaVersion\":\"0.1.0\",\"Vendor\":\"everbit tests\",\"Version\":\"v2.99.0\",\"ShortDescription\":\"v2 shape over v1\"}'",
                "  exit 0",
                "fi",
                "shift",
                "echo \"compose $*\" >> " + calls,
                "exec docker-compose \"$@\"",
                ""));
        plugins.resolve("docker-compose").toFile().setExecutable(true, false);
        sandbox.giveToSshUser(sandbox.dir().resolve("home/everbit/.docker"));
    }

    @AfterEach
    void removeWrapper() throws Exception {
        if (vm != null) {
            vm.close();
        }
        Files.deleteIfExists(plugins.resolve("docker-compose"));
        Files.deleteIfExists(calls);
    }

    @Test
    void deploysAndRollsBackThroughDockerCompose() throws Exception {
        vm = new DeployFixture(sandbox, "compose-v2");
        String first = randomSha();
        String second = randomSha();
        vm.release(first);
        vm.release(second);
        DeployFixture.Run up = vm.up(first);
        assertThat(up.exit()).as(up.all()).isZero();
        assertThat(up.err()).contains("compose v2 on the VM");
        assertThat(vm.up(second).exit()).isZero();
        assertThat(vm.rollback("previous").exit()).isZero();
        assertThat(vm.serving()).isEqualTo(first);
        assertThat(Files.readString(calls)).contains("compose -f compose.yaml -f .everbit/pin.next.yaml pull server")
                .contains("up -d --no-deps server");
    }

    @Test
    void switchesThroughNginxWithDockerCompose() throws Exception {
        vm = new DeployFixture(sandbox, "compose-v2-proxy");
        String first = randomSha();
        String second = randomSha();
        vm.release(first);
        vm.release(second);
        try (ProxyNginx nginx = new ProxyNginx(sandbox, vm.dir, "server 127.0.0.1:1;\n")) {
            String[] proxy = DeployFixture.args(nginx.options(DeployFixture.freePort(), DeployFixture.freePort()),
                    java.util.List.of("--drain", "0", "--warm", "0"));
            assertThat(vm.up(first, proxy).exit()).isZero();
            DeployFixture.Run up = vm.up(second, proxy);
            assertThat(up.exit()).as(up.all()).isZero();
            assertThat(sandbox.ssh("curl -s " + nginx.url("/release")).stdout().strip()).isEqualTo(second);
            assertThat(Files.readString(calls)).contains("compose -f compose.yaml config --no-interpolate")
                    .contains("compose -f compose.yaml -f .everbit/slots.yaml up -d --no-deps server-green");
        } finally {
            sandbox.ssh("cd " + vm.dir + " && docker-compose -f compose.yaml -f .everbit/slots.yaml down -t 1 >/dev/null 2>&1; true");
        }
    }
}
