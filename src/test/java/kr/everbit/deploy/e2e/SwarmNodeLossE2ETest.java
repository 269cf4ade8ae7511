package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.SwarmTestStack.body;
import static kr.everbit.deploy.e2e.SwarmTestStack.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
                    assertThat(tool.waitFor(4, TimeUnit.MINUTES)).as(said.get()).isTrue();
                    System.out.println("node loss: the tool ended " + tool.exitValue() + ":\n" + said.get());
                    JsonNode status = stack.status(2);
                    System.out.println("node loss: status through node 2 while node " + lost + " is down:\n" + status.toPrettyString());
                } finally {
                    cluster.startNode(lost);
                }
                long back = System.nanoTime();
                waitFor("node " + lost + " answering again", () -> body(stack.nodeUrl(lost, "/release")).startsWith("r"));
                System.out.println("node loss: node " + lost + " answered " + body(stack.nodeUrl(lost, "/release")) + " "
                        + (System.nanoTime() - back) / 1_000_000 + " ms after its daemon was back");
                JsonNode after = stack.status(2);
                System.out.println("node loss: status once node " + lost + " is back:\n" + after.toPrettyString());
                assertThat(stream.running()).as("the request stream ended before the node came back: it proves nothing").isTrue();
                RequestStream.Tally tally = stream.stop();
                assertThat(tally.failed()).as(tally.toString()).isZero();
            }
        }
    }
}
