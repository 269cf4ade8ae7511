package kr.everbit.deploy.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The test cluster of {@code scripts/test-env-swarm.sh} (started by {@code scripts/test-env.sh}): three Swarm managers,
 * each a Docker daemon in its own network namespace with its own sshd (port 22 on the node's address, the sandbox's
 * VM user and deploy key, sessions talking to that node's daemon) and its own read-only registry on the node's
 * {@code 127.0.0.1:5000} over the sandbox registry's storage, so an image pushed with {@link Sandbox#pushImage} is
 * pulled by the same name on every node.
 *
 * <p>Its properties are {@code .sandbox/swarm/env.properties} of this checkout when it started the cluster, else the
 * file the sandbox's env.properties names ({@code swarm.env}). {@link #get()} fails (never skips) with
 * {@value #NOT_RUNNING} when neither exists or node 1's sshd does not answer.
 */
public final class SwarmCluster {

    public static final String NOT_RUNNING =
            "test cluster not running: run scripts/test-env.sh (in a checkout that adopted another's sandbox: scripts/test-env.sh swarm-start)";

    /**
     * The cluster's classes hold this lock: they run beside the VM's tests (junit-platform.properties) and one at a
     * time among themselves.
     */
    public static final String LOCK = "everbit-swarm-cluster";
    private static final Duration DOCKER_TIMEOUT = Duration.ofMinutes(3);

    private final Sandbox sandbox;
    private final Path envFile;
    private final Properties props;

    private SwarmCluster(Sandbox sandbox, Path envFile, Properties props) {
        this.sandbox = sandbox;
        this.envFile = envFile;
        this.props = props;
    }

    /** The running cluster, or an {@link IllegalStateException} saying {@value #NOT_RUNNING}. */
    public static SwarmCluster get() {
        Sandbox sandbox = Sandbox.get();
        Path env = sandbox.envFile().getParent().resolve("swarm/env.properties");
        if (!Files.isRegularFile(env)) {
            String named = sandbox.optionalProperty("swarm.env");
            if (named == null) {
                throw new IllegalStateException(NOT_RUNNING + " (no " + env + ")");
            }
            env = Paths.get(named);
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(env)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(NOT_RUNNING + " (cannot read " + env + ": " + e.getMessage() + ")", e);
        }
        SwarmCluster cluster = new SwarmCluster(sandbox, env, p);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(cluster.nodeAddress(1), cluster.sshPort()), 2000);
        } catch (IOException e) {
            throw new IllegalStateException(NOT_RUNNING + " (sshd of node 1 at " + cluster.nodeAddress(1) + ":"
                    + cluster.sshPort() + ": " + e.getMessage() + "; " + env + " is stale)", e);
        }
        return cluster;
    }

    private String property(String key) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(envFile + " has no " + key + ": run scripts/test-env.sh again");
        }
        return v.trim();
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** How many nodes (all managers), numbered from 1. */
    public int nodes() {
        return Integer.parseInt(property("swarm.nodes"));
    }

    /** Node numbers 1..{@link #nodes()}. */
    public List<Integer> nodeNumbers() {
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= nodes(); i++) {
            all.add(i);
        }
        return all;
    }

    /** The node's host name, as Docker reports it ({@code docker node ls}, {@code .Name} of docker info). */
    public String nodeName(int node) {
        return property("swarm.node." + node + ".name");
    }

    /** The node's address, in its own network namespace, reachable from the test host. */
    public String nodeAddress(int node) {
        return property("swarm.node." + node + ".address");
    }

    public int sshPort() {
        return Integer.parseInt(property("swarm.ssh.port"));
    }

    /** known_hosts with every node's host key by its address. */
    public Path knownHosts() {
        return Paths.get(property("swarm.ssh.knownHosts"));
    }

    /** The registry name every node pulls from: the sandbox registry's, served on each node's own loopback. */
    public String registryHost() {
        return property("swarm.registry.host");
    }

    /** The build context of the test app as the checkout that started the cluster has it. */
    public Path appContext() {
        return Paths.get(property("swarm.app.context"));
    }

    /** docker build of the cluster's app context; build args as in scripts/sandbox-app/Dockerfile. */
    public void buildAppImage(String repoWithTag, Map<String, String> buildArgs) {
        sandbox.buildAppImage(appContext(), repoWithTag, buildArgs);
    }

    /** Runs a command on the node as the VM user (its shell's docker talks to that node's daemon). */
    public Sandbox.Exec ssh(int node, String remoteCommand) {
        return sandbox.ssh(nodeAddress(node), sshPort(), knownHosts(), remoteCommand);
    }

    /** The node's Docker daemon stops, its containers with it, as when its VM goes down (its sshd stays). */
    public void stopNode(int node) {
        control("stop", node);
    }

    /** The node's Docker daemon starts again on its state; returns once the node is back as a manager. */
    public void startNode(int node) {
        control("start", node);
    }

    private void control(String what, int node) {
        Sandbox.run(List.of("bash", property("swarm.control"), "swarm-node", what, Integer.toString(node)), Map.of(),
                DOCKER_TIMEOUT).requireSuccess("scripts/test-env.sh swarm-node " + what + " " + node);
    }

    /** Runs docker, as root on the test host, against the node's daemon. */
    public Sandbox.Exec docker(int node, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", property("swarm.node." + node + ".docker")));
        cmd.addAll(List.of(args));
        return Sandbox.run(cmd, Map.of(), DOCKER_TIMEOUT);
    }
}
