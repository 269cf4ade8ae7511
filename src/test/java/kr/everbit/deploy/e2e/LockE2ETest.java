package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The deploy lock on the sandbox VM: held for the whole command, waited for, and never outliving its holder. */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
class LockE2ETest {
    private final Sandbox sandbox = Sandbox.get();
    private final List<DeployFixture> fixtures = new ArrayList<>();
    /** Two plain releases, built and pushed once: each test releases them in a compose project of its own. */
    private static String image;
    private static String one;
    private static String two;

    @BeforeAll
    static void buildTwoReleases() {
        Sandbox sandbox = Sandbox.get();
        image = sandbox.registryHost() + "/e2e/lock";
        one = randomSha();
        two = randomSha();
        DeployFixture.release(sandbox, image, one, Map.of());
        DeployFixture.release(sandbox, image, two, Map.of());
    }

    @AfterEach
    void removeContainers() {
        fixtures.forEach(DeployFixture::close);
    }

    private DeployFixture fixture(String name) throws Exception {
        DeployFixture fixture = DeployFixture.sharing(sandbox, image, name, null);
        fixtures.add(fixture);
        return fixture;
    }

    @Test
    void aDeployThatCannotGetTheLockFailsNamingTheHolder() throws Exception {
        DeployFixture vm = fixture("lock-held");
        String sha = one;
        Process holder = sshInBackground(vm, "mkdir -p .everbit && exec 9>>.everbit/deploy.lock && flock 9"
                + " && echo 'ops@laptop deploying 1234567 since 10:00' > .everbit/lock.holder && echo locked && sleep 6");
        assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine()).isEqualTo("locked");

        DeployFixture.Run blocked = vm.up(sha, "--lock-timeout", "1");
        assertThat(blocked.exit()).isEqualTo(1);
        assertThat(blocked.err()).contains("lock").contains("ops@laptop deploying 1234567");
        assertThat(vm.serving()).isNull();

        assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(vm.up(sha, "--lock-timeout", "5").exit()).isZero();
        assertThat(vm.serving()).isEqualTo(sha);
    }

    @Test
    void twoDeploysAtOnceRunOneAfterTheOther() throws Exception {
        DeployFixture vm = fixture("two-at-once");
        String a = one;
        String b = two;
        CompletableFuture<DeployFixture.Run> first = CompletableFuture.supplyAsync(() -> vm.up(a, "--lock-timeout", "60"));
        CompletableFuture<DeployFixture.Run> second = CompletableFuture.supplyAsync(() -> vm.up(b, "--lock-timeout", "60"));
        assertThat(first.get().exit()).as(first.get().all()).isZero();
        assertThat(second.get().exit()).as(second.get().all()).isZero();
        assertThat(first.get().err() + second.get().err()).contains("waiting up to 60s");

        JsonNode history = new ObjectMapper().readTree(vm.status("--json").out()).get("history");
        assertThat(history).hasSize(2);
        Instant firstEnd = Instant.parse(history.get(0).get("at").asText());
        Instant secondStart = Instant.parse(history.get(1).get("startedAt").asText());
        assertThat(secondStart).as("the second deploy started after the first one ended").isAfterOrEqualTo(firstEnd);
    }

    @Test
    void aDeployKilledWithItsSshClientDoesNotLeaveTheLockBehind() throws Exception {
        killedMidHealthWait("killed-tree", true);
    }

    @Test
    void aDeployKilledAloneWhileItsSshClientLivesOnDoesNotLeaveTheLockBehind() throws Exception {
        killedMidHealthWait("killed-alone", false);
    }

    /**
     * Kills a deploy in the middle of a health wait that would hold the lock for two minutes: with its ssh client
     * (Ctrl-C, an aborted Jenkins build: the connection drops) or alone (kill -9 of the tool: the orphaned ssh
     * client closes the channel's input). The next deploy must get the lock within 15 seconds.
     */
    private void killedMidHealthWait(String name, boolean withSshClient) throws Exception {
        DeployFixture vm = fixture(name);
        String slow = one;
        String good = two;
        assertThat(vm.up(good).exit()).isZero();
        vm.neverHealthy();
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), "kr.everbit.deploy.cli.Main"));
        command.addAll(List.of(DeployFixture.args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", slow, "--health-timeout", "120"), vm.login())));
        Process deploy = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<ProcessHandle> sshClients = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(deploy.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.contains("[ok] pin")) {
                // Wait until the deploy holds the lock and starts the release.
            }
            assertThat(line).as("the deploy took the lock and pinned the release").isNotNull();
            Thread.sleep(2000);
            sshClients.addAll(deploy.descendants().toList());
            if (withSshClient) {
                sshClients.forEach(ProcessHandle::destroyForcibly);
            }
            deploy.destroyForcibly().waitFor();

            Files.writeString(vm.dir.resolve("compose.yaml"), Files.readString(vm.dir.resolve("compose.yaml"))
                    .replaceAll("(?s)    healthcheck:.*?retries: 100000\n", ""));
            DeployFixture.Run next = vm.up(good, "--lock-timeout", "15");
            assertThat(next.exit()).as(next.all()).isZero();
            assertThat(vm.serving()).isEqualTo(good);
        } finally {
            sshClients.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private Process sshInBackground(DeployFixture vm, String script) throws Exception {
        return new ProcessBuilder("ssh", "-F", "none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + sandbox.sshKnownHosts(), "-i", sandbox.sshIdentity().toString(),
                "-p", String.valueOf(sandbox.sshPort()), sandbox.sshUser() + "@" + sandbox.sshHost(),
                "cd " + vm.dir + " && " + script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
