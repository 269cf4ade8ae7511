package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.SwarmTestStack.body;
import static kr.everbit.deploy.e2e.SwarmTestStack.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import kr.everbit.deploy.e2e.DeployFixture.Run;
import kr.everbit.deploy.sandbox.SwarmCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code --target swarm} on the test cluster, through the CLI as an operator runs it: releases deployed through one
 * manager and seen, with the same history and lock, through the others; a rolling update behind the operator's Nginx
 * that loses no request; a release that fails its health check rolled back, the ledger saying so, while a deploy
 * through another manager is refused the lock naming its holder; a rollback to the previous release; the swarm's own
 * rollback of a failed update, recorded as such.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SwarmCluster.LOCK)
class SwarmTargetE2ETest {
    private static SwarmCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = SwarmCluster.get();
    }

    /**
     * One operator's session on one stack (a stack is costly to roll out over three nodes, so the steps share it):
     * two releases through manager 1, the second under a request stream through Nginx; the same history and per-node
     * images through managers 2 and 3; a release whose health check fails, rolled back while a deploy through manager 2
     * is refused the lock; a rollback to the previous release; the same failing release with the swarm rolling it
     * back itself; the tool killed mid-rollout, status truthful, the next command recording what the swarm runs; a
     * release with too many 5xx rolled back by the Prometheus gate; a rollback to a release named by its SHA.
     */
    @Test
    void releasesThroughAnyManagerShareOneHistoryAndLockLoseNoRequestAndRollBack() throws Exception {
        try (SwarmTestStack stack = new SwarmTestStack(cluster, "ops", Map.of("r1", Map.of(), "r2", Map.of(),
                "sick", Map.of("HEALTH", "down"), "errors", Map.of("ERRORS", "high")));
             SwarmPrometheus prometheus = new SwarmPrometheus(cluster, stack.dir().resolve("prometheus"), stack.appPort())) {
            Run first = stack.cli(1, "up", "--sha", stack.sha("r1"));
            assertThat(first.exit()).as(first.all()).isZero();
            assertThat(first.out()).startsWith(stack.sha("r1") + " sha256:");
            stack.awaitEveryNode("r1");
            String sideTasks = stack.sideTasks();
            // 15 s to answer: the CLI runs in this JVM, on one core in CI; Nginx gives up on an upstream after 1 s to
            // connect and 10 s to answer (SwarmNginx), so a request lost by the rollout still fails here
            try (RequestStream stream = new RequestStream(stack.nginxUrl("/release"), Duration.ofMinutes(3), Duration.ofMillis(20),
                    Duration.ofSeconds(15))) {
                waitFor("Nginx answering " + stack.release("r1"), () -> stack.release("r1").equals(body(stack.nginxUrl("/release"))));
                Run second = stack.cli(1, "deploy", "--sha", stack.sha("r2"), "--url", stack.nginxUrl("/actuator/health"),
                        "--timeout", "30");
                assertThat(second.exit()).as(second.all()).isZero();
                assertThat(stream.running()).as("the request stream ended before the rollout did: it proves nothing").isTrue();
                RequestStream.Tally tally = stream.stop();
                assertThat(tally.failed()).as(tally.toString()).isZero();
                assertThat(tally.bodies().keySet()).as(tally.toString())
                        .isEqualTo(Set.of("200 " + stack.release("r1"), "200 " + stack.release("r2")));
            }
            stack.assertEveryNodeAnswers("r2");

            JsonNode status = stack.status(2);
            assertThat(status.get("current").asText()).isEqualTo(stack.sha("r2"));
            assertThat(status.get("previous").asText()).isEqualTo(stack.sha("r1"));
            assertThat(history(status)).containsExactly("deploy success " + stack.sha("r1"), "deploy success " + stack.sha("r2"));
            assertThat(nodesRunning(status, stack.image("r2"))).containsExactlyInAnyOrderElementsOf(nodeNames());
            assertThat(status.get("warnings")).isEmpty();
            Run text = stack.cli(3, "status", "--service", "app", "--image", stack.repo);
            assertThat(text.exit()).as(text.all()).isZero();
            for (int node : cluster.nodeNumbers()) {
                assertThat(text.out()).containsPattern(cluster.nodeName(node) + " +" + stack.image("r2") + " +Running");
            }

            CompletableFuture<Run> sick = CompletableFuture.supplyAsync(() -> stack.cli(1, "deploy", "--sha", stack.sha("sick"),
                    "--url", stack.nginxUrl("/actuator/health"), "--timeout", "20", "--actor", "alice@ci"));
            waitFor("the lock of " + stack.name, () -> stack.lockHeld() || sick.isDone());
            assertThat(sick.isDone()).as("the deploy of the sick release ended before its lock was seen: %s",
                    sick.isDone() ? sick.get().all() : "").isFalse();
            Run refused = stack.cli(2, "up", "--sha", stack.sha("r1"), "--lock-timeout", "0", "--actor", "bob@laptop");
            assertThat(refused.exit()).as(refused.all()).isEqualTo(1);
            assertThat(refused.err()).contains("is held by alice@ci since");
            Run failed = sick.get();
            assertThat(failed.exit()).as(failed.all()).isEqualTo(3);
            assertThat(failed.err()).contains("rolled back automatically to " + stack.sha("r2"));
            stack.assertEveryNodeAnswers("r2");
            JsonNode afterSick = stack.status(3);
            assertThat(history(afterSick)).containsExactly("deploy success " + stack.sha("r1"), "deploy success " + stack.sha("r2"),
                    "deploy failed " + stack.sha("sick"), "rollback success " + stack.sha("r2"));
            assertThat(afterSick.get("history").get(2).get("reason").asText()).contains("paused its update");
            assertThat(nodesRunning(afterSick, stack.image("r2"))).containsExactlyInAnyOrderElementsOf(nodeNames());
            assertThat(stack.lockHeld()).as("the lock is released").isFalse();

            Run back = stack.cli(2, "rollback", "--to", "previous", "--reason", "r2 is slow");
            assertThat(back.exit()).as(back.all()).isZero();
            assertThat(back.out().strip()).isEqualTo(stack.sha("r1"));
            stack.assertEveryNodeAnswers("r1");
            JsonNode after = stack.status(3);
            assertThat(after.get("current").asText()).isEqualTo(stack.sha("r1"));
            assertThat(history(after)).last().isEqualTo("rollback success " + stack.sha("r1"));
            assertThat(after.get("history").get(4).get("reason").asText()).isEqualTo("r2 is slow");
            assertThat(nodesRunning(after, stack.image("r1"))).containsExactlyInAnyOrderElementsOf(nodeNames());

            // the operator lets the swarm roll a failed update back itself: the tool records that rollback as the swarm's
            stack.writeComposeFile("rollback");
            Run selfRolled = stack.cli(1, "deploy", "--sha", stack.sha("sick"), "--url", stack.nginxUrl("/actuator/health"),
                    "--timeout", "20");
            assertThat(selfRolled.exit()).as(selfRolled.all()).isEqualTo(3);
            assertThat(selfRolled.err()).contains("rolled it back (its update_config failure_action)");
            stack.assertEveryNodeAnswers("r1");
            JsonNode last = stack.status(2);
            assertThat(history(last)).endsWith("deploy failed " + stack.sha("sick"), "rollback success " + stack.sha("r1"));
            assertThat(last.get("history").get(6).get("reason").asText()).startsWith("the swarm's own rollback");

            // the tool killed (kill -9, its ssh too) while the swarm rolls a release out: the swarm keeps converging,
            // status says what runs where, that the ledger does not know it yet, and who holds the lock
            Process tool = ToolProcess.start(stack.cliArgs(1, "up", "--sha", stack.sha("errors"), "--actor", "carol@laptop"));
            Supplier<String> said = ToolProcess.awaitLine(tool, "update updating");
            List<ProcessHandle> ssh = tool.descendants().toList();
            tool.destroyForcibly();
            ssh.forEach(ProcessHandle::destroyForcibly);
            assertThat(tool.waitFor(60, TimeUnit.SECONDS)).as(said.get()).isTrue();
            waitFor("the swarm's update to the release to complete without the tool", () -> {
                try {
                    JsonNode now = stack.status(3);
                    return now.get("update").asText().equals("completed")
                            && nodesRunning(now, stack.image("errors")).size() == cluster.nodes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            JsonNode afterKill = stack.status(3);
            assertThat(afterKill.get("current").asText()).as("the ledger records what was seen, nothing more").isEqualTo(stack.sha("r1"));
            assertThat(afterKill.get("warnings").toString()).contains("the swarm runs " + stack.image("errors")
                    + " on every task, but the ledger's current release is " + stack.sha("r1"));
            assertThat(afterKill.get("lock").asText()).startsWith("carol@laptop since");
            stack.assertEveryNodeAnswers("errors");
            // the operator, knowing the tool is gone, frees the stack now instead of at the lock's expiry (README)
            cluster.docker(2, "config", "rm", "everbit." + stack.name + "_app.lock").requireSuccess("docker config rm");

            // the operator runs the deploy again, with the Prometheus gate: it first records what the swarm runs (the
            // stack deploy then changes nothing), and the gate refuses the release's 5xx ratio: rolled back to r1
            Run gated = stack.cli(2, "deploy", "--sha", stack.sha("errors"), "--prometheus", prometheus.url(),
                    "--query", VerifyE2ETest.RATIO_5XX, "--max", "0.05", "--timeout", "20", "--settle", "3");
            assertThat(gated.exit()).as(gated.all()).isEqualTo(3);
            assertThat(gated.err()).contains("reconciled: the swarm runs " + stack.image("errors") + " on every task")
                    .contains("Release " + stack.sha("errors") + " failed verification: probe 'prometheus")
                    .contains("(max 0.05)").contains("rolled back automatically to " + stack.sha("r1"));
            stack.assertEveryNodeAnswers("r1");
            JsonNode afterGate = stack.status(1);
            assertThat(history(afterGate)).endsWith("deploy success " + stack.sha("errors"), "deploy success " + stack.sha("errors"),
                    "verify failed " + stack.sha("errors"), "rollback success " + stack.sha("r1"));
            assertThat(afterGate.get("history").get(7).get("reason").asText()).startsWith("reconciled:");
            assertThat(afterGate.get("warnings")).isEmpty();
            assertThat(afterGate.get("lock").isNull()).as("the lock is released").isTrue();

            // a rollback to a release named by its SHA
            Run bySha = stack.cli(3, "rollback", "--to", stack.sha("r2"), "--reason", "back to r2 by its SHA");
            assertThat(bySha.exit()).as(bySha.all()).isZero();
            assertThat(bySha.out().strip()).isEqualTo(stack.sha("r2"));
            stack.assertEveryNodeAnswers("r2");
            JsonNode afterSha = stack.status(2);
            assertThat(afterSha.get("current").asText()).isEqualTo(stack.sha("r2"));
            assertThat(afterSha.get("previous").asText()).isEqualTo(stack.sha("r1"));
            assertThat(history(afterSha)).last().isEqualTo("rollback success " + stack.sha("r2"));
            assertThat(nodesRunning(afterSha, stack.image("r2"))).containsExactlyInAnyOrderElementsOf(nodeNames());
            assertThat(stack.sideTasks()).as("the stack's other service kept its one task through ten stack deploys")
                    .isEqualTo(sideTasks).doesNotContain("\n");
        }
    }

    static List<String> history(JsonNode status) {
        List<String> lines = new ArrayList<>();
        status.get("history").forEach(e -> lines.add(e.get("action").asText() + " " + e.get("result").asText() + " "
                + e.get("sha").asText()));
        return lines;
    }

    static List<String> nodesRunning(JsonNode status, String image) {
        List<String> nodes = new ArrayList<>();
        status.get("tasks").forEach(t -> {
            if (image.equals(t.get("image").asText()) && t.get("state").asText().startsWith("Running")) {
                nodes.add(t.get("node").asText());
            }
        });
        return nodes;
    }

    private static List<String> nodeNames() {
        return cluster.nodeNumbers().stream().map(cluster::nodeName).toList();
    }
}
