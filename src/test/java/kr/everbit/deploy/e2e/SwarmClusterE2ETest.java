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
import java.util.UUID;
import java.util.function.Supplier;
import kr.everbit.deploy.sandbox.Sandbox;
import kr.everbit.deploy.sandbox.SwarmCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test cluster is the layout an operator runs Swarm in behind a load balancer, proven with plain docker commands
 * (no code of the tool): every node a manager reached over its own sshd, images pulled by every node from the
 * registry the tests push to, and a rolling update of a service with a task on every node, its port published in host
 * mode behind Nginx, that loses no request.
 */
class SwarmClusterE2ETest {

    private static final Duration ROLLOUT_LIMIT = Duration.ofMinutes(3);
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
        String id = UUID.randomUUID().toString().substring(0, 8);
        String stack = "smoke" + id;
        String repo = sandbox.registryHost() + "/everbit-swarm-smoke";
        String r1 = "r1-" + id;
        String r2 = "r2-" + id;
        for (String release : List.of(r1, r2)) {
            cluster.buildAppImage(repo + ":" + release, Map.of("RELEASE", release, "ERRORS", "none"));
            sandbox.pushImage(repo + ":" + release);
        }
        int appPort = DeployFixture.freePort();
        Path dir = sandbox.newDeployDir("swarm-smoke");
        Path token = sandbox.writeAsSshUser(dir.resolve(".registry-token"), sandbox.registryToken() + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (SwarmNginx nginx = new SwarmNginx(cluster, dir.resolve("nginx"), appPort)) {
            try {
                deploy(dir, stack, stackFile(repo + ":" + r1, appPort));
                for (int node : cluster.nodeNumbers()) {
                    String url = "http://" + cluster.nodeAddress(node) + ":" + appPort + "/release";
                    waitFor("node " + node + " answering " + r1, () -> r1.equals(body(http, url)));
                }
                try (RequestStream stream = new RequestStream(nginx.url("/release"), Duration.ofMinutes(4), Duration.ofMillis(20))) {
                    waitFor("Nginx answering " + r1, () -> r1.equals(body(http, nginx.url("/release"))));
                    deploy(dir, stack, stackFile(repo + ":" + r2, appPort));
                    waitFor("the update of " + stack + "_app to complete", () -> updateState(stack).equals("completed"));
                    assertTrue(stream.running(), "the request stream ended before the rollout did: it proves nothing");
                    RequestStream.Tally tally = stream.stop();
                    assertEquals(0, tally.failed(), tally.toString());
                    assertTrue(tally.bodies().containsKey("200 " + r1) && tally.bodies().containsKey("200 " + r2), tally.toString());
                }
                for (int node : cluster.nodeNumbers()) {
                    assertEquals(r2, body(http, "http://" + cluster.nodeAddress(node) + ":" + appPort + "/release"), "node " + node);
                }
            } finally {
                remove(stack);
            }
        }
    }

    /**
     * A service with a task on every node (three replicas, at most one per node), its port published in host mode on
     * each node, updated one node at a time, stopping the old task first (two cannot hold one host port), each new
     * task watched for 5 s: the {@code update_config} that, with {@link SwarmNginx}'s settings, loses no request.
     */
    private String stackFile(String image, int port) {
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
                "        monitor: 5s",
                "        failure_action: pause",
                "");
    }

    /** docker stack deploy on node 1 as the VM user, logged in to the registry in a docker config of its own. */
    private void deploy(Path dir, String stack, String stackFile) {
        sandbox.writeAsSshUser(dir.resolve("stack.yaml"), stackFile);
        cluster.ssh(1, "set -e; cd " + Sandbox.quote(dir.toString()) + "; cfg=$(mktemp -d); trap 'rm -rf \"$cfg\"' EXIT;"
                + " printf '{\"auths\":{}}' > \"$cfg/config.json\";"
                + " DOCKER_CONFIG=$cfg docker login " + Sandbox.quote(cluster.registryHost()) + " -u "
                + Sandbox.quote(sandbox.registryUser()) + " --password-stdin < .registry-token > /dev/null;"
                + " DOCKER_CONFIG=$cfg docker stack deploy --with-registry-auth -c stack.yaml " + stack)
                .requireSuccess("docker stack deploy " + stack);
    }

    private String updateState(String stack) {
        String state = cluster.docker(1, "service", "inspect", stack + "_app", "--format",
                "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}").requireSuccess("docker service inspect").stdout().strip();
        if (state.equals("paused") || state.startsWith("rollback")) {
            fail("the update of " + stack + "_app ended " + state + ": "
                    + cluster.docker(1, "service", "ps", "--no-trunc", stack + "_app"));
        }
        return state;
    }

    /** Removes the stack and waits, bounded, until no node runs a container of it. */
    private void remove(String stack) throws InterruptedException {
        cluster.docker(1, "stack", "rm", stack);
        waitFor("the containers of " + stack + " to be gone", () -> cluster.nodeNumbers().stream().allMatch(node ->
                cluster.docker(node, "ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + stack).stdout().isBlank()));
    }

    private static String body(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
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
