package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import kr.everbit.deploy.e2e.DeployFixture.Run;
import kr.everbit.deploy.sandbox.Sandbox;
import kr.everbit.deploy.sandbox.SwarmCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --target swarm} on the test cluster, through the CLI as an operator runs it: releases deployed through one
 * manager and seen, with the same history and lock, through the others; a rolling update behind the operator's Nginx
 * that loses no request; a release that fails its health check rolled back, the ledger saying so, while a deploy
 * through another manager is refused the lock naming its holder; a rollback to the previous release; the swarm's own
 * rollback of a failed update, recorded as such.
 */
class SwarmTargetE2ETest {
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static SwarmCluster cluster;
    private static Sandbox sandbox;

    @BeforeAll
    static void cluster() {
        cluster = SwarmCluster.get();
        sandbox = cluster.sandbox();
    }

    /**
     * One operator's session on one stack (a stack is costly to roll out over three nodes, so the steps share it):
     * two releases through manager 1, the second under a request stream through Nginx; the same history and per-node
     * images through managers 2 and 3; a release whose health check fails, rolled back while a deploy through manager 2
     * is refused the lock; a rollback to the previous release; then the same failing release with the swarm rolling it
     * back itself.
     */
    @Test
    void releasesThroughAnyManagerShareOneHistoryAndLockLoseNoRequestAndRollBack() throws Exception {
        try (Stack stack = new Stack("ops", Map.of("r1", Map.of(), "r2", Map.of(), "sick", Map.of("HEALTH", "down")))) {
            Run first = stack.cli(1, "up", "--sha", stack.sha("r1"));
            assertThat(first.exit()).as(first.all()).isZero();
            assertThat(first.out()).startsWith(stack.sha("r1") + " sha256:");
            stack.awaitEveryNode("r1");
            String sideTasks = stack.sideTasks();
            // 15 s to answer: the CLI runs in this JVM, on one core in CI; Nginx gives up on an upstream after 1 s to
            // connect and 10 s to answer (SwarmNginx), so a request lost by the rollout still fails here
            try (RequestStream stream = new RequestStream(stack.nginx.url("/release"), Duration.ofMinutes(3), Duration.ofMillis(20),
                    Duration.ofSeconds(15))) {
                waitFor("Nginx answering " + stack.release("r1"), () -> stack.release("r1").equals(body(stack.nginx.url("/release"))));
                Run second = stack.cli(1, "deploy", "--sha", stack.sha("r2"), "--url", stack.nginx.url("/actuator/health"),
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
                    "--url", stack.nginx.url("/actuator/health"), "--timeout", "20", "--actor", "alice@ci"));
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
            Run selfRolled = stack.cli(1, "deploy", "--sha", stack.sha("sick"), "--url", stack.nginx.url("/actuator/health"),
                    "--timeout", "20");
            assertThat(selfRolled.exit()).as(selfRolled.all()).isEqualTo(3);
            assertThat(selfRolled.err()).contains("rolled it back (its update_config failure_action)");
            stack.assertEveryNodeAnswers("r1");
            JsonNode last = stack.status(2);
            assertThat(history(last)).endsWith("deploy failed " + stack.sha("sick"), "rollback success " + stack.sha("r1"));
            assertThat(last.get("history").get(6).get("reason").asText()).startsWith("the swarm's own rollback");
            assertThat(stack.sideTasks()).as("the stack's other service kept its one task through six stack deploys")
                    .isEqualTo(sideTasks).doesNotContain("\n");
        }
    }

    private static List<String> history(JsonNode status) {
        List<String> lines = new ArrayList<>();
        status.get("history").forEach(e -> lines.add(e.get("action").asText() + " " + e.get("result").asText() + " "
                + e.get("sha").asText()));
        return lines;
    }

    private static List<String> nodesRunning(JsonNode status, String image) {
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

    /**
     * A stack of its own (unique name, free published port, releases tagged by SHA in a repository of its own, a deploy
     * dir with the operator's compose file) behind an Nginx of its own; closing removes the stack, its lock and ledger
     * configs, and waits until no node runs a container of it.
     */
    private static final class Stack implements AutoCloseable {
        final String name;
        final SwarmNginx nginx;
        private final String id = UUID.randomUUID().toString().substring(0, 8);
        final String repo = sandbox.registryHost() + "/everbit-swarm-target-" + id;
        private final Map<String, String> shas = new HashMap<>();
        private final int appPort;
        private final Path dir;

        Stack(String prefix, Map<String, Map<String, String>> releases) throws IOException {
            name = prefix + id;
            for (var r : releases.entrySet()) {
                shas.put(r.getKey(), DeployFixture.randomSha().substring(0, 12));
                Map<String, String> buildArgs = new HashMap<>(r.getValue());
                buildArgs.put("RELEASE", release(r.getKey()));
                buildArgs.putIfAbsent("ERRORS", "none");
                cluster.buildAppImage(image(r.getKey()), buildArgs);
                sandbox.pushImage(image(r.getKey()));
            }
            appPort = DeployFixture.freePort();
            dir = sandbox.newDeployDir("swarm-" + prefix);
            writeComposeFile("pause");
            nginx = new SwarmNginx(cluster, dir.resolve("nginx"), appPort);
        }

        String sha(String release) {
            return shas.get(release);
        }

        String image(String release) {
            return repo + ":" + sha(release);
        }

        String release(String tag) {
            return tag + "-" + id;
        }

        String nodeUrl(int node, String path) {
            return "http://" + cluster.nodeAddress(node) + ":" + appPort + path;
        }

        Run cli(int node, String command, String... more) {
            List<String> conn = List.of("--host", cluster.nodeAddress(node), "--port", String.valueOf(cluster.sshPort()),
                    "--user", sandbox.sshUser(), "--identity", sandbox.sshIdentity().toString(),
                    "--known-hosts", cluster.knownHosts().toString(), "--dir", dir.toString(),
                    "--target", "swarm", "--stack", name);
            List<String> release = command.equals("status") ? List.of()
                    : List.of("--compose", "docker/compose.yaml", "--service", "app", "--image", repo,
                            "--registry-user", sandbox.registryUser(), "--registry-token-file", sandbox.registryTokenFile().toString(),
                            "--health-timeout", "90");
            return DeployFixture.cli(args(List.of(command), conn, release, List.of(more)));
        }

        JsonNode status(int node) throws IOException {
            Run status = cli(node, "status", "--service", "app", "--image", repo, "--json");
            assertThat(status.exit()).as(status.all()).isZero();
            return new ObjectMapper().readTree(status.out());
        }

        /** Every task the stack's other service has had, by ID. */
        String sideTasks() {
            return cluster.docker(1, "service", "ps", "-q", name + "_side").requireSuccess("docker service ps").stdout().strip();
        }

        /** The stack's lock config exists, seen from manager 2. */
        boolean lockHeld() {
            return !cluster.docker(2, "config", "ls", "-q", "--filter", "name=everbit." + name + "_app.lock").stdout().isBlank();
        }

        void assertEveryNodeAnswers(String release) {
            for (int node : cluster.nodeNumbers()) {
                assertThat(body(nodeUrl(node, "/release"))).as("node " + node).isEqualTo(release(release));
            }
        }

        void awaitEveryNode(String release) throws InterruptedException {
            for (int node : cluster.nodeNumbers()) {
                waitFor("node " + node + " answering " + release(release), () -> release(release).equals(body(nodeUrl(node, "/release"))));
            }
        }

        /**
         * The operator's file: a task on every node, its port published in host mode, updated one node at a time,
         * stopping the old task first (two cannot hold one host port), each new task watched for 1 s; a failed update
         * is paused (Swarm's default failure_action) or rolled back by the swarm, as {@code failureAction} says. The
         * image's healthcheck (its test kept) polls every 500 ms and a stop has 2 s, so that a rollout over three
         * nodes stays short. The image line is the operator's; the pin wins. Another service, side, is the stack's
         * too: released by nobody, restarted by nothing.
         */
        void writeComposeFile(String failureAction) {
            sandbox.writeAsSshUser(dir.resolve("docker/compose.yaml"), composeFile(failureAction));
        }

        private String composeFile(String failureAction) {
            return String.join("\n",
                    "version: \"3.8\"",
                    "services:",
                    "  app:",
                    "    image: \"" + repo + "\"",
                    "    environment:",
                    "      APP_ADDR: \"0.0.0.0\"",
                    "      PORT: \"" + appPort + "\"",
                    "    stop_grace_period: 2s",
                    "    healthcheck:",
                    "      interval: 500ms",
                    "      timeout: 2s",
                    "      retries: 2",
                    "      start_period: 1s",
                    "    ports:",
                    "      - target: " + appPort,
                    "        published: " + appPort,
                    "        protocol: tcp",
                    "        mode: host",
                    "    deploy:",
                    "      replicas: " + cluster.nodes(),
                    "      placement:",
                    "        max_replicas_per_node: 1",
                    "      update_config:",
                    "        parallelism: 1",
                    "        order: stop-first",
                    "        monitor: 1s",
                    "        failure_action: " + failureAction,
                    "  side:",
                    "    image: \"" + image("r1") + "\"",
                    "    deploy:",
                    "      replicas: 1",
                    "");
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                cluster.docker(1, "stack", "rm", name);
                String configs = cluster.docker(1, "config", "ls", "-q", "--filter", "name=everbit." + name + "_").stdout().strip();
                if (!configs.isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("config", "rm"));
                    rm.addAll(List.of(configs.split("\\s+")));
                    cluster.docker(1, rm.toArray(String[]::new));
                }
                waitFor("the containers of " + name + " to be gone", () -> cluster.nodeNumbers().stream().allMatch(node ->
                        cluster.docker(node, "ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + name).stdout().isBlank()));
            } finally {
                nginx.close();
            }
        }
    }

    private static String body(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : "HTTP " + r.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static void waitFor(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + LIMIT);
            }
            Thread.sleep(200);
        }
    }
}
