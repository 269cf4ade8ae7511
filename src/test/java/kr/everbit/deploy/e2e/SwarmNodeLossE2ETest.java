package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.SwarmTestStack.body;
import static kr.everbit.deploy.e2e.SwarmTestStack.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import kr.everbit.deploy.e2e.DeployFixture.Run;
import kr.everbit.deploy.sandbox.SwarmCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A node's VM goes down while the tool rolls a release out over the cluster: what the operator then reads (the
 * tool's words, its exit, the ledger, status) is what the swarm did, and Nginx serves from the nodes left.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SwarmCluster.LOCK)
class SwarmNodeLossE2ETest {
    private final SwarmCluster cluster = SwarmCluster.get();

    @Test
    void aNodeLostMidRolloutIsReportedAsTheSwarmHasItAndNginxLosesNoRequest() throws Exception {
        int lost = cluster.nodes();
        try (SwarmTestStack stack = new SwarmTestStack(cluster, "loss", Map.of("r1", Map.of(), "r2", Map.of()))) {
            Run first = stack.cli(1, "up", "--sha", stack.sha("r1"));
            assertThat(first.exit()).as(first.all()).isZero();
            stack.awaitEveryNode("r1");
            try (RequestStream stream = new RequestStream(stack.nginxUrl("/release"), Duration.ofMinutes(5), Duration.ofMillis(20),
                    Duration.ofSeconds(15))) {
                waitFor("Nginx answering " + stack.release("r1"), () -> stack.release("r1").equals(body(stack.nginxUrl("/release"))));
                Process tool = ToolProcess.start(stack.cliArgs(1, 30, "up", "--sha", stack.sha("r2"), "--actor", "dave@ci"));
                Supplier<String> said = ToolProcess.awaitLine(tool, "update updating");
                try {
                    cluster.stopNode(lost);
                    // the swarm cannot place the lost node's task anywhere (one task per node, a host port): neither
                    // the release nor the one put back runs on every task, and the tool says so, naming that task
                    assertThat(tool.waitFor(4, TimeUnit.MINUTES)).as(said.get()).isTrue();
                    assertThat(tool.exitValue()).as(said.get()).isEqualTo(1);
                    assertThat(said.get()).contains("Release " + stack.sha("r2") + " did not roll out")
                            .contains("did not run on every task within 30s").contains("(no node)").contains("Pending")
                            .contains("The automatic rollback to " + stack.sha("r1") + " FAILED too");
                    JsonNode down = stack.status(2);
                    assertThat(SwarmTargetE2ETest.history(down)).containsExactly("deploy success " + stack.sha("r1"),
                            "deploy failed " + stack.sha("r2"), "rollback failed " + stack.sha("r1"));
                    assertThat(down.get("current").asText()).isEqualTo(stack.sha("r1"));
                    assertThat(down.get("running").asInt()).as(down.toPrettyString()).isEqualTo(cluster.nodes() - 1);
                    // which nodes the swarm got to before the loss is its own order: only the task without a node is certain
                    assertThat(down.get("tasks").toString()).as(down.toPrettyString()).containsPattern(
                            "\\{\"node\":\"\",\"image\":\"[^\"]+\",\"state\":\"Pending");
                    assertThat(down.get("warnings").toString()).contains("not all running " + stack.image("r1"));
                    assertThat(down.get("lock").isNull()).as("the lock is released").isTrue();
                } finally {
                    cluster.startNode(lost);
                }
                // the node back, the swarm places the task the rollback left pending and finishes the rollback's update
                // (on the nodes it had not reached): every node runs the release the ledger names, and status has
                // nothing left to warn of
                waitFor("the swarm to run " + stack.image("r1") + " on every node again", () -> {
                    try {
                        JsonNode now = stack.status(3);
                        return now.get("update").asText().equals("completed")
                                && SwarmTargetE2ETest.nodesRunning(now, stack.image("r1")).size() == cluster.nodes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                stack.assertEveryNodeAnswers("r1");
                JsonNode back = stack.status(3);
                assertThat(back.get("current").asText()).isEqualTo(stack.sha("r1"));
                assertThat(back.get("warnings")).as(back.toPrettyString()).isEmpty();
                assertThat(stream.running()).as("the request stream ended before the node came back: it proves nothing").isTrue();
                RequestStream.Tally tally = stream.stop();
                assertThat(tally.failed()).as(tally.toString()).isZero();
            }
        }
    }
}
