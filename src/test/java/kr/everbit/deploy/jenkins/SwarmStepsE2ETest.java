package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.e2e.SwarmTestStack;
import kr.everbit.deploy.sandbox.Sandbox;
import kr.everbit.deploy.sandbox.SwarmCluster;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The steps with {@code target: 'swarm'} as a Jenkinsfile runs them, on the test cluster: every process through the
 * Launcher, the key and the registry login from the credential store, the rest from the global page. They run the
 * engine the CLI's {@code --target swarm} runs; this checks the door (the page's target and stack, the manager
 * reached with the step's SSH rules, the results the library reads), not the engine again.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SwarmCluster.LOCK)
class SwarmStepsE2ETest {
    private final SwarmCluster cluster = SwarmCluster.get();
    private final Sandbox sandbox = cluster.sandbox();
    private final TestListener log = new TestListener();
    private final TestLauncher launcher = new TestLauncher(log);
    @TempDir
    Path jobDir;

    /**
     * Two releases through manager 1, verified on the manager and from the agent, listed through manager 2; then the
     * library's rollback after a failed verification (rollbackToSha previous with failedChecks), which every node
     * answers and the cluster's ledger records.
     */
    @Test
    void theStepsDeployVerifyListAndRollBackTheStackThroughItsManagers() throws Exception {
        String privateKey = Files.readString(sandbox.sshIdentity());
        TestCredentials credentials = new TestCredentials()
                .sshKey("swarm-deploy-key", sandbox.sshUser(), privateKey, null)
                .secretFile("swarm-known-hosts", Files.readString(cluster.knownHosts()))
                .usernamePassword("registry", sandbox.registryUser(), sandbox.registryToken());
        Path workspace = Files.createDirectories(jobDir.resolve("workspace/shop"));
        try (SwarmTestStack stack = new SwarmTestStack(cluster, "steps", Map.of("r1", Map.of(), "r2", Map.of()))) {
            EverbitGlobalConfiguration page = page(stack);
            String r1 = stack.sha("r1");
            String r2 = stack.sha("r2");

            assertThat(run(new SshComposeUpStep(r1), page, credentials, workspace)).isEqualTo(releases(null, r1));
            stack.awaitEveryNode("r1");
            assertThat(run(new SshComposeUpStep(r2), page, credentials, workspace)).isEqualTo(releases(r1, r2));
            stack.assertEveryNodeAnswers("r2");

            VerifyHealthStep verify = new VerifyHealthStep();
            verify.setUrls(List.of(stack.nodeUrl(2, "/release")));
            verify.setRemoteUrls(List.of(stack.nodeUrl(1, "/actuator/health")));
            verify.setTcp(List.of(cluster.nodeAddress(3) + ":" + stack.appPort()));
            verify.setTimeout(30);
            Map<?, ?> report = (Map<?, ?>) run(verify, page, credentials, workspace);
            assertThat(report.get("ok")).isEqualTo(true);
            assertThat((List<?>) report.get("probes")).hasSize(3);

            EverbitReleasesStep throughManager2 = new EverbitReleasesStep();
            throughManager2.setHost(cluster.nodeAddress(2));
            assertThat(history(run(throughManager2, page, credentials, workspace)))
                    .containsExactly(r2 + " deploy success", r1 + " deploy success");

            RollbackToShaStep rollback = new RollbackToShaStep("previous");
            rollback.setFailedChecks(r2);
            rollback.setReason("5xx after deploy");
            assertThat(run(rollback, page, credentials, workspace)).isEqualTo(r1);
            stack.assertEveryNodeAnswers("r1");
            assertThat(history(run(new EverbitReleasesStep(), page, credentials, workspace)))
                    .containsExactly(r1 + " rollback success", r2 + " verify failed", r2 + " deploy success",
                            r1 + " deploy success");
            assertThat(stack.lockHeld()).as("the lock is released").isFalse();
        }
        assertThat(log.text()).contains("took the lock everbit.steps").contains("runs on every task");
        assertThat(log.text()).doesNotContain(sandbox.registryToken());
        privateKey.lines().filter(l -> l.length() >= 16).forEach(line -> assertThat(log.text()).doesNotContain(line));
        assertThat(launcher.commands).allSatisfy(argv -> assertThat(String.join(" ", argv))
                .doesNotContain(sandbox.registryToken()).doesNotContain("PRIVATE KEY"));
    }

    /** Manage Jenkins » System » Everbit deploy for a swarm: a manager, the stack, the service and its files. */
    private EverbitGlobalConfiguration page(SwarmTestStack stack) {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setHost(cluster.nodeAddress(1));
        c.setPort(cluster.sshPort());
        c.setSshCredentialsId("swarm-deploy-key");
        c.setKnownHostsCredentialsId("swarm-known-hosts");
        c.setDir(stack.dir().toString());
        c.setComposeFiles("docker/compose.yaml");
        c.setService("app");
        c.setImage(stack.repo);
        c.setRegistryCredentialsId("registry");
        c.setHealthTimeout(90);
        c.setTarget("swarm");
        c.setStack(stack.name);
        return c;
    }

    private Object run(Step step, EverbitGlobalConfiguration page, TestCredentials credentials, Path workspace)
            throws Exception {
        StepRuntime runtime = new StepRuntime(log, launcher, new FilePath(workspace.toFile()), System.getenv(),
                credentials, "jenkins shop/main#12", page);
        return ((EverbitExecution<?>) step.start(null)).runWith(runtime);
    }

    private static List<String> history(Object releases) {
        return ((List<?>) releases).stream().map(r -> (Map<?, ?>) r).map(r -> r.get("sha") + " " + r.get("action") + " "
                + r.get("result")).toList();
    }

    private static Map<String, Object> releases(String previous, String current) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("previous", previous);
        r.put("current", current);
        return r;
    }
}
