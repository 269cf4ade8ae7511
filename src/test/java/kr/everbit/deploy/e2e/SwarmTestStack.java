package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
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
import java.util.UUID;
import java.util.function.Supplier;
import kr.everbit.deploy.e2e.DeployFixture.Run;
import kr.everbit.deploy.sandbox.Sandbox;
import kr.everbit.deploy.sandbox.SwarmCluster;

/**
 * A stack of its own (unique name, free published port, releases tagged by SHA in a repository of its own, a deploy
 * dir with the operator's compose file) behind an Nginx of its own; closing removes the stack, its lock and ledger
 * configs, and waits until no node runs a container of it.
 */
public final class SwarmTestStack implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final SwarmCluster cluster;
    private final Sandbox sandbox;
    public final String name;
    final SwarmNginx nginx;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    public final String repo;
    private final Map<String, String> shas = new HashMap<>();
    private final int appPort;
    private final Path dir;

    /** The deploy dir on the manager, as the steps and the CLI name it. */
    public Path dir() {
        return dir;
    }

    /** The port the app publishes on every node (host mode). */
    public int appPort() {
        return appPort;
    }

    /** A URL through the stack's Nginx, in front of every node. */
    public String nginxUrl(String path) {
        return nginx.url(path);
    }

    public SwarmTestStack(SwarmCluster cluster, String prefix, Map<String, Map<String, String>> releases) throws IOException {
        this.cluster = cluster;
        this.sandbox = cluster.sandbox();
        name = prefix + id;
        repo = sandbox.registryHost() + "/everbit-swarm-target-" + id;
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

    public String sha(String release) {
        return shas.get(release);
    }

    public String image(String release) {
        return repo + ":" + sha(release);
    }

    public String release(String tag) {
        return tag + "-" + id;
    }

    public String nodeUrl(int node, String path) {
        return "http://" + cluster.nodeAddress(node) + ":" + appPort + path;
    }

    public Run cli(int node, String command, String... more) {
        return DeployFixture.cli(cliArgs(node, command, more));
    }

    /** The command line of {@link #cli}, for a tool run as a process of its own (killed by the test). */
    String[] cliArgs(int node, String command, String... more) {
        return cliArgs(node, 90, command, more);
    }

    /** As {@link #cliArgs(int, String, String...)}, with the rollout's and health checks' bound in seconds. */
    String[] cliArgs(int node, int healthTimeout, String command, String... more) {
        List<String> conn = List.of("--host", cluster.nodeAddress(node), "--port", String.valueOf(cluster.sshPort()),
                "--user", sandbox.sshUser(), "--identity", sandbox.sshIdentity().toString(),
                "--known-hosts", cluster.knownHosts().toString(), "--dir", dir.toString(),
                "--target", "swarm", "--stack", name);
        List<String> release = command.equals("status") ? List.of()
                : List.of("--compose", "docker/compose.yaml", "--service", "app", "--image", repo,
                        "--registry-user", sandbox.registryUser(), "--registry-token-file", sandbox.registryTokenFile().toString(),
                        "--health-timeout", String.valueOf(healthTimeout));
        return args(List.of(command), conn, release, List.of(more));
    }

    public JsonNode status(int node) throws IOException {
        Run status = cli(node, "status", "--service", "app", "--image", repo, "--json");
        assertThat(status.exit()).as(status.all()).isZero();
        return new ObjectMapper().readTree(status.out());
    }

    /** Every task the stack's other service has had, by ID. */
    public String sideTasks() {
        return cluster.docker(1, "service", "ps", "-q", name + "_side").requireSuccess("docker service ps").stdout().strip();
    }

    /** The stack's lock config exists, seen from manager 2. */
    public boolean lockHeld() {
        return !cluster.docker(2, "config", "ls", "-q", "--filter", "name=everbit." + name + "_app.lock").stdout().isBlank();
    }

    public void assertEveryNodeAnswers(String release) {
        for (int node : cluster.nodeNumbers()) {
            assertThat(body(nodeUrl(node, "/release"))).as("node " + node).isEqualTo(release(release));
        }
    }

    public void awaitEveryNode(String release) throws InterruptedException {
        for (int node : cluster.nodeNumbers()) {
            waitFor("node " + node + " answering " + release(release), () -> release(release).equals(body(nodeUrl(node, "/release"))));
        }
    }

    /**
     * The operator's file: a task on every node, its port published in host mode, updated one node at a time,
     * stopping the old task first (two cannot hold one host port), the next node's task stopped 3 s after one is
     * running (longer than {@link SwarmNginx}'s fail_timeout: the node just updated is back in Nginx's rotation),
     * each new task watched for 1 s; a failed update is paused (Swarm's default failure_action) or rolled back by the swarm, as {@code failureAction} says. The
     * image's healthcheck (its test kept) polls every 2 s and a stop has 2 s, so that a rollout over three nodes
     * stays short: each check is an exec in the container, which costs dockerd, containerd and runc about 0.13 s of
     * CPU here, so a check every 500 ms of three tasks took most of a core from the tests beside. The image line is
     * the operator's; the pin wins. Another service, side, is the stack's too: released by nobody, restarted by
     * nothing, its health asked by nobody (no healthcheck).
     */
    public void writeComposeFile(String failureAction) {
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
                "      interval: 2s",
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
                "        delay: 3s",
                "        monitor: 1s",
                "        failure_action: " + failureAction,
                "      rollback_config:",
                "        parallelism: 1",
                "        order: stop-first",
                "        delay: 3s",
                "  side:",
                "    image: \"" + image("r1") + "\"",
                "    healthcheck:",
                "      disable: true",
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

    /** The body of a 200 answer, else what went wrong, as one line. */
    public static String body(String url) {
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

    /** Waits, bounded, for {@code condition}. */
    public static void waitFor(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + LIMIT);
            }
            Thread.sleep(200);
        }
    }
}
