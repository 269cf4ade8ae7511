package kr.everbit.deploy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import kr.everbit.deploy.sandbox.Sandbox;
import kr.everbit.deploy.sandbox.SwarmCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The test cluster is the layout an operator runs Swarm in behind a load balancer, proven with plain docker commands
 * (no code of the tool): every node a manager reached over its own sshd, images pulled by every node from the
 * registry the tests push to, and a rolling update of a service with a task on every node, its port published in host
 * mode behind Nginx, that loses no request.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SwarmCluster.LOCK)
class SwarmClusterE2ETest {

    private static final Duration ROLLOUT_LIMIT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static SwarmCluster cluster;
    private static Sandbox sandbox;

    @BeforeAll
    static void cluster() {
        cluster = SwarmCluster.get();
        sandbox = cluster.sandbox();
    }

    @Test
    void everyNodeIsAReadyManagerBehindItsOwnSshd() {
        for (int node : cluster.nodeNumbers()) {
            Sandbox.Exec r = cluster.ssh(node, "id -un; docker info --format '{{.Name}} {{.Swarm.ControlAvailable}}'")
                    .requireSuccess("ssh to node " + node);
            assertEquals(List.of(sandbox.sshUser(), cluster.nodeName(node) + " true"), r.stdout().lines().toList(), r.toString());
        }
        Sandbox.Exec nodes = cluster.ssh(cluster.nodes(), "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'")
                .requireSuccess("docker node ls");
        List<String> lines = nodes.stdout().lines().sorted().toList();
        assertEquals(cluster.nodes(), lines.size(), nodes.toString());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).matches(cluster.nodeName(i + 1) + " Ready (Leader|Reachable)"), nodes.toString());
        }
    }

    @Test
    void aRollingUpdateOverEveryNodeBehindNginxLosesNoRequest() throws Exception {
        try (TestStack stack = new TestStack("smoke", Map.of("r1", Map.of(), "r2", Map.of()))) {
            stack.deployAndWait("r1");
            try (RequestStream stream = new RequestStream(stack.nginx.url("/release"), Duration.ofMinutes(4), Duration.ofMillis(20))) {
                waitFor("Nginx answering " + stack.release("r1"), () -> stack.release("r1").equals(body(stack.nginx.url("/release"))));
                stack.deploy("r2");
                waitFor("the update of " + stack.service() + " to complete", () -> stack.updateState().equals("completed"));
                assertTrue(stream.running(), "the request stream ended before the rollout did: it proves nothing");
                RequestStream.Tally tally = stream.stop();
                assertEquals(0, tally.failed(), tally.toString());
                assertEquals(Set.of("200 " + stack.release("r1"), "200 " + stack.release("r2")), tally.bodies().keySet(), tally.toString());
            }
            for (int node : cluster.nodeNumbers()) {
                assertEquals(stack.release("r2"), body(stack.nodeUrl(node, "/release")), "node " + node);
            }
        }
    }

    @Test
    void aReleaseWhoseTasksFailIsPausedBySwarmWhileNginxServesTheOneBeforeAndRollsBack() throws Exception {
        try (TestStack stack = new TestStack("failing", Map.of("good", Map.of(), "crash", Map.of("CRASH", "true")))) {
            stack.deployAndWait("good");
            try (RequestStream stream = new RequestStream(stack.nginx.url("/release"), Duration.ofMinutes(4), Duration.ofMillis(20))) {
                waitFor("Nginx answering " + stack.release("good"), () -> stack.release("good").equals(body(stack.nginx.url("/release"))));
                stack.deploy("crash");
                // the default failure_action: the first task that fails stops the update, the other nodes keep theirs
                waitFor("the update of " + stack.service() + " to pause", () -> stack.state().equals("paused"));
                cluster.docker(1, "service", "rollback", "--detach", stack.service()).requireSuccess("docker service rollback");
                waitFor("the rollback of " + stack.service() + " to complete", () -> stack.state().equals("rollback_completed"));
                for (int node : cluster.nodeNumbers()) {
                    waitFor("node " + node + " answering " + stack.release("good"),
                            () -> stack.release("good").equals(body(stack.nodeUrl(node, "/release"))));
                }
                assertTrue(stream.running(), "the request stream ended before the rollback did: it proves nothing");
                RequestStream.Tally tally = stream.stop();
                assertEquals(0, tally.failed(), tally.toString());
                assertEquals(Set.of("200 " + stack.release("good")), tally.bodies().keySet(), tally.toString());
            }
        }
    }

    /**
     * A stack of its own (unique name, free published port, images tagged by release name plus a unique id, a deploy
     * dir on the VM with the registry token for the VM user) behind an Nginx of its own; closing removes the stack and
     * waits until no node runs a container of it.
     */
    private static final class TestStack implements AutoCloseable {
        final String name;
        final SwarmNginx nginx;
        private final String id = UUID.randomUUID().toString().substring(0, 8);
        private final String repo = sandbox.registryHost() + "/everbit-swarm-" + id;
        private final int appPort;
        private final Path dir;

        TestStack(String prefix, Map<String, Map<String, String>> releases) throws IOException {
            name = prefix + id;
            for (var r : releases.entrySet()) {
                Map<String, String> args = new java.util.HashMap<>(r.getValue());
                args.put("RELEASE", release(r.getKey()));
                args.putIfAbsent("ERRORS", "none");
                cluster.buildAppImage(image(r.getKey()), args);
                sandbox.pushImage(image(r.getKey()));
            }
            appPort = DeployFixture.freePort();
            dir = sandbox.newDeployDir("swarm-" + prefix);
            Path token = sandbox.writeAsSshUser(dir.resolve(".registry-token"), sandbox.registryToken() + "\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
            nginx = new SwarmNginx(cluster, dir.resolve("nginx"), appPort);
        }

        String image(String tag) {
            return repo + ":" + tag;
        }

        /** What the release's image answers at /release. */
        String release(String tag) {
            return tag + "-" + id;
        }

        String service() {
            return name + "_app";
        }

        String nodeUrl(int node, String path) {
            return "http://" + cluster.nodeAddress(node) + ":" + appPort + path;
        }

        /** docker stack deploy on node 1 as the VM user, logged in to the registry in a docker config of its own. */
        void deploy(String tag) {
            sandbox.writeAsSshUser(dir.resolve("stack.yaml"), stackFile(image(tag), appPort));
            cluster.ssh(1, "set -e; cd " + Sandbox.quote(dir.toString()) + "; cfg=$(mktemp -d); trap 'rm -rf \"$cfg\"' EXIT;"
                    + " printf '{\"auths\":{}}' > \"$cfg/config.json\";"
                    + " DOCKER_CONFIG=$cfg docker login " + Sandbox.quote(cluster.registryHost()) + " -u "
                    + Sandbox.quote(sandbox.registryUser()) + " --password-stdin < .registry-token > /dev/null;"
                    + " DOCKER_CONFIG=$cfg docker stack deploy --with-registry-auth -c stack.yaml " + name)
                    .requireSuccess("docker stack deploy " + name);
        }

        void deployAndWait(String tag) throws InterruptedException {
            deploy(tag);
            for (int node : cluster.nodeNumbers()) {
                waitFor("node " + node + " answering " + release(tag), () -> release(tag).equals(body(nodeUrl(node, "/release"))));
            }
        }

        /** The service's UpdateStatus.State ("" before its first update). */
        String state() {
            return cluster.docker(1, "service", "inspect", service(), "--format",
                    "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}").requireSuccess("docker service inspect").stdout().strip();
        }

        /** As {@link #state()}, failing at once when the update did not go through. */
        String updateState() {
            String state = state();
            if (state.equals("paused") || state.startsWith("rollback")) {
                fail("the update of " + service() + " ended " + state + ": " + cluster.docker(1, "service", "ps", "--no-trunc", service()));
            }
            return state;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                cluster.docker(1, "stack", "rm", name);
                waitFor("the containers of " + name + " to be gone", () -> cluster.nodeNumbers().stream().allMatch(node ->
                        cluster.docker(node, "ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + name).stdout().isBlank()));
            } finally {
                nginx.close();
            }
        }
    }

    /**
     * A service with a task on every node (three replicas, at most one per node), its port published in host mode on
     * each node, updated one node at a time, stopping the old task first (two cannot hold one host port), the next node's task
     * stopped 3 s after one is running (so the node just updated is back in Nginx's rotation), each new task watched
     * for 5 s; a rollback the same way: the {@code update_config} that, with {@link SwarmNginx}'s settings, loses no request.
     */
    private static String stackFile(String image, int port) {
        return String.join("\n",
                "version: \"3.8\"",
                "services:",
                "  app:",
                "    image: \"" + image + "\"",
                "    environment:",
                "      APP_ADDR: \"0.0.0.0\"",
                "      PORT: \"" + port + "\"",
                "    ports:",
                "      - target: " + port,
                "        published: " + port,
                "        protocol: tcp",
                "        mode: host",
                "    deploy:",
                "      replicas: " + cluster.nodes(),
                "      placement:",
                "        max_replicas_per_node: 1",
                "      update_config:",
                "        parallelism: 1",
                "        order: stop-first",
                "        delay: 3s",
                "        monitor: 5s",
                "        failure_action: pause",
                "      rollback_config:",
                "        parallelism: 1",
                "        order: stop-first",
                "        delay: 3s",
                "");
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
        long deadline = System.nanoTime() + ROLLOUT_LIMIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + ROLLOUT_LIMIT);
            }
            Thread.sleep(500);
        }
    }
}
