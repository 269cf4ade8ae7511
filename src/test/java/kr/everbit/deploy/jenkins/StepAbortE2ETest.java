package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import kr.everbit.deploy.sandbox.Sandbox;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Abort (or {@code timeout}) of each step in each phase, as Jenkins does it: {@code stop()} on the running execution,
 * which interrupts its pool thread. The step must end as interrupted, and nothing of it may stay on the agent: no
 * file in the temporary folders it used (TMPDIR: the docker config and the ssh-agent's directory; WORKSPACE@tmp:
 * the known_hosts file), no process (ssh-agent, ssh, docker) whose command line names them. The step runs inside a
 * {@code node {}} block's double: its environment carries the block's {@code JENKINS_NODE_COOKIE}, and once the step
 * has reported its end the block's process killer ends every process carrying it, while the step still cleans up.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
class StepAbortE2ETest {
    private static final long WAIT_MILLIS = 30_000;
    private final Sandbox sandbox = Sandbox.get();
    private final TestListener log = new TestListener();
    private final TestLauncher launcher = new TestLauncher(log);
    private final Path deployDir = sandbox.newDeployDir("jenkins-abort");
    private final String name = deployDir.getFileName().toString();
    private final TestCredentials credentials;
    private final List<AutoCloseable> doubles = new ArrayList<>();
    @TempDir
    Path jobDir;

    StepAbortE2ETest() throws IOException {
        credentials = new TestCredentials()
                .sshKey("vm-deploy-key", sandbox.sshUser(), Files.readString(sandbox.sshIdentity()), null)
                .secretFile("vm-known-hosts", Files.readString(sandbox.sshKnownHosts()))
                .usernamePassword("registry", sandbox.registryUser(), sandbox.registryToken());
    }

    @AfterEach
    void removeContainersAndDoubles() throws Exception {
        sandbox.ssh("cd " + deployDir + " && [ -f compose.yaml ] && docker-compose -f compose.yaml $( [ -f .everbit/pin.yaml ]"
                + " && echo -f .everbit/pin.yaml ) down -t 1 >/dev/null 2>&1; true");
        for (AutoCloseable d : doubles) {
            d.close();
        }
    }

    private EverbitGlobalConfiguration everbit(String image) {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setHost(sandbox.sshHost());
        c.setPort(sandbox.sshPort());
        c.setSshCredentialsId("vm-deploy-key");
        c.setKnownHostsCredentialsId("vm-known-hosts");
        c.setDir(deployDir.toString());
        c.setComposeFiles("compose.yaml");
        c.setService("server");
        c.setImage(image);
        c.setHealthTimeout(30);
        c.setLockTimeout(30);
        return c;
    }

    private Path workspace() throws IOException {
        return Files.createDirectories(jobDir.resolve("workspace/server"));
    }

    private Path tmp() throws IOException {
        return Files.createDirectories(jobDir.resolve("tmp"));
    }

    /**
     * Starts the step as Jenkins does, waits until {@code phase} holds, calls {@code stop()} and waits until the
     * step's thread has finished (Jenkins ends the step at once; the thread cleans up after). Returns what the
     * step's work threw.
     */
    private Throwable abort(Step step, EverbitGlobalConfiguration defaults, BooleanSupplier phase) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TMPDIR", tmp().toString());
        String cookie = "abort-" + name;
        env.put(LauncherExecutor.NODE_COOKIE, cookie);
        StepRuntime runtime = new StepRuntime(log, launcher, new FilePath(workspace().toFile()), env, credentials,
                "jenkins everbit/server#7", defaults);
        TestStepContext context = new TestStepContext(launcher, cookie);
        EverbitExecution<?> execution = ((EverbitExecution<?>) step.start(context)).withRuntime(runtime);
        execution.start();
        await("the phase to abort in\n" + log.text(), () -> phase.getAsBoolean() || context.ended.isDone());
        assertThat(context.ended).as("the step ended before the abort:\n" + log.text()).isNotDone();
        InterruptedException cause = new InterruptedException("aborted by the test");
        long stopped = System.nanoTime();
        execution.stop(cause);
        await("the step's thread to end after stop()", () -> cause.getSuppressed().length > 0);
        assertThat((System.nanoTime() - stopped) / 1_000_000).as("cleanup time in ms").isLessThan(15_000);
        try {
            context.ended.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isSameAs(cause);
        }
        return cause.getSuppressed()[0];
    }

    private void assertEndedInterrupted(Throwable thrown, String function) throws Exception {
        assertThat(thrown).isInstanceOf(InterruptedException.class).hasMessageStartingWith(function + ": interrupted");
        assertThat(thrown.getMessage()).doesNotContain("installed");
        await("no process of the step left: " + processesNaming(), () -> processesNaming().isEmpty());
        try (Stream<Path> left = Files.list(tmp())) {
            assertThat(left).as("left in TMPDIR").isEmpty();
        }
        Path wsTmp = jobDir.resolve("workspace/server@tmp");
        if (Files.exists(wsTmp)) {
            try (Stream<Path> left = Files.list(wsTmp)) {
                assertThat(left).as("left in WORKSPACE@tmp").isEmpty();
            }
        }
    }

    /** Processes whose command line names this test's folders or images (ssh-agent -a, ssh -o UserKnownHostsFile, docker). */
    private List<String> processesNaming() {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(jobDir.toString()) || cmdline.contains(name)) {
                        found.add(proc.getFileName() + ": " + cmdline);
                    }
                } catch (IOException e) {
                    // The process ended while we looked.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private boolean launched(String... argvStart) {
        return launcher.commands.stream().anyMatch(argv -> argv.size() >= argvStart.length
                && argv.subList(0, argvStart.length).equals(List.of(argvStart)));
    }

    /** Launched, and running for a moment. */
    private BooleanSupplier running(String... argvStart) {
        long[] seen = {0};
        return () -> {
            if (seen[0] == 0 && launched(argvStart)) {
                seen[0] = System.nanoTime();
            }
            return seen[0] != 0 && System.nanoTime() - seen[0] > 500_000_000L;
        };
    }

    private StallingRegistry stallingRegistry(boolean answersLogin) throws IOException {
        StallingRegistry registry = new StallingRegistry(answersLogin);
        doubles.add(registry);
        return registry;
    }

    private void compose(String image, String healthcheck) {
        sandbox.writeAsSshUser(deployDir.resolve("compose.yaml"), String.join("\n",
                "services:",
                "  server:",
                "    image: " + image + ":unset",
                "    network_mode: host",
                "    environment:",
                "      PORT: \"" + freePort() + "\"",
                healthcheck,
                ""));
    }

    @Test
    void buildImageDuringTheBuild() throws Exception {
        StallingRegistry registry = stallingRegistry(false);
        Files.writeString(workspace().resolve("Dockerfile"), "FROM " + registry.host() + "/base/" + name + ":1\n");
        String image = sandbox.registryHost() + "/jenkins/" + name;
        Throwable thrown = abort(new BuildImageStep(randomSha()), everbit(image), running("docker", "build"));
        assertEndedInterrupted(thrown, "buildImage");
    }

    @Test
    void pushGhcrDuringTheLogin() throws Exception {
        StallingRegistry registry = stallingRegistry(false);
        String image = registry.host() + "/jenkins/" + name;
        String sha = randomSha();
        sandbox.buildAppImage(image + ":" + sha, Map.of());
        EverbitGlobalConfiguration defaults = everbit(image);
        defaults.setRegistryCredentialsId("registry");
        Throwable thrown = abort(new PushGhcrStep(sha), defaults, running("docker", "--config"));
        assertEndedInterrupted(thrown, "pushGhcr");
    }

    @Test
    void pushGhcrDuringThePush() throws Exception {
        StallingRegistry registry = stallingRegistry(true);
        String image = registry.host() + "/jenkins/" + name;
        String sha = randomSha();
        sandbox.buildAppImage(image + ":" + sha, Map.of());
        EverbitGlobalConfiguration defaults = everbit(image);
        defaults.setRegistryCredentialsId("registry");
        BooleanSupplier pushing = running("docker", "--config");
        Throwable thrown = abort(new PushGhcrStep(sha), defaults,
                () -> log.text().contains("log in to " + registry.host() + " ✓") && pushing.getAsBoolean());
        assertEndedInterrupted(thrown, "pushGhcr");
    }

    @Test
    void sshComposeUpWhileConnecting() throws Exception {
        ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException e) {
                // closed by the test
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        doubles.add(silent);
        compose(sandbox.registryHost() + "/jenkins/" + name, "");
        EverbitGlobalConfiguration defaults = everbit(sandbox.registryHost() + "/jenkins/" + name);
        defaults.setPort(silent.getLocalPort());
        Throwable thrown = abort(new SshComposeUpStep(randomSha()), defaults, running("ssh", "-T"));
        assertEndedInterrupted(thrown, "sshComposeUp");
    }

    @Test
    void sshComposeUpDuringThePull() throws Exception {
        StallingRegistry registry = stallingRegistry(true);
        String image = registry.host() + "/jenkins/" + name;
        compose(image, "");
        Throwable thrown = abort(new SshComposeUpStep(randomSha()), everbit(image),
                () -> log.text().contains("take the deploy lock ✓"));
        assertEndedInterrupted(thrown, "sshComposeUp");
    }

    @Test
    void sshComposeUpDuringTheHealthWait() throws Exception {
        String image = sandbox.registryHost() + "/jenkins/" + name;
        String sha = randomSha();
        sandbox.buildAppImage(image + ":" + sha, Map.of());
        sandbox.pushImage(image + ":" + sha);
        // Healthy only after a minute: the step waits for it.
        compose(image, String.join("\n",
                "    healthcheck:",
                "      test: [\"CMD\", \"/bin/busybox\", \"false\"]",
                "      interval: 60s",
                "      start_period: 60s"));
        EverbitGlobalConfiguration defaults = everbit(image);
        defaults.setRegistryCredentialsId("registry");
        Throwable thrown = abort(new SshComposeUpStep(sha), defaults, () -> log.text().contains(" on the VM ✓")
                && !sandbox.ssh("docker ps -q --filter ancestor=" + image + ":" + sha).stdout().isBlank());
        assertEndedInterrupted(thrown, "sshComposeUp");
    }

    /**
     * The VM side of an abort: the step is stopped while release B waits for health, after release A ran. Within a
     * bounded time the VM runs A again, the ledger calls A current and records B as interrupted, and the lock is free.
     */
    @Test
    void sshComposeUpAbortedDuringTheHealthWaitLeavesTheVmOnTheReleaseBefore() throws Exception {
        String image = sandbox.registryHost() + "/jenkins/" + name;
        String a = randomSha();
        String b = randomSha();
        for (String sha : List.of(a, b)) {
            sandbox.buildAppImage(image + ":" + sha, Map.of("RELEASE", sha));
            sandbox.pushImage(image + ":" + sha);
        }
        int port = freePort();
        sandbox.writeAsSshUser(deployDir.resolve("compose.yaml"), String.join("\n",
                "services:",
                "  server:",
                "    image: " + image + ":unset",
                "    network_mode: host",
                "    environment:",
                "      PORT: \"" + port + "\"",
                "    healthcheck:",
                "      test: [\"CMD\", \"/bin/busybox\", \"sh\", \"-c\", \"[ \\\"$$APP_RELEASE\\\" != " + b + " ]\"]",
                "      interval: 1s",
                "      retries: 100000",
                ""));
        String[] up = {"up", "--host", sandbox.sshHost(), "--port", String.valueOf(sandbox.sshPort()), "--user", sandbox.sshUser(),
                "--identity", sandbox.sshIdentity().toString(), "--known-hosts", sandbox.sshKnownHosts().toString(),
                "--dir", deployDir.toString(), "--compose", "compose.yaml", "--service", "server", "--image", image,
                "--sha", a, "--registry-user", sandbox.registryUser(), "--registry-token-file", sandbox.registryTokenFile().toString()};
        assertThat(kr.everbit.deploy.cli.Main.run(up, System.out, System.err)).isZero();

        EverbitGlobalConfiguration defaults = everbit(image);
        defaults.setRegistryCredentialsId("registry");
        defaults.setHealthTimeout(120);
        Throwable thrown = abort(new SshComposeUpStep(b), defaults, () -> log.text().contains(" on the VM ✓")
                && !sandbox.ssh("docker ps -q --filter ancestor=" + image + ":" + b).stdout().isBlank());
        assertEndedInterrupted(thrown, "sshComposeUp");

        await("the VM to restore " + a + " and free the lock", () -> !Files.exists(deployDir.resolve(".everbit/inflight"))
                && sandbox.ssh("cd " + deployDir + " && flock -n .everbit/deploy.lock true").ok());
        List<String> ledger = Files.readAllLines(deployDir.resolve(".everbit/releases.jsonl"));
        assertThat(ledger.get(ledger.size() - 2)).contains("\"sha\":\"" + b + "\"").contains("\"result\":\"failed\"")
                .contains("interrupted");
        assertThat(ledger.get(ledger.size() - 1)).contains("\"sha\":\"" + a + "\"").contains("\"result\":\"success\"");
        HttpResponse<String> serving = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/release")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(serving.body().strip()).as("the VM runs the ledger's current release").isEqualTo(a);
    }

    @Test
    void rollbackToShaWhileWaitingForTheDeployLock() throws Exception {
        String image = sandbox.registryHost() + "/jenkins/" + name;
        compose(image, "");
        sandbox.ssh("cd " + deployDir + " && mkdir -p .everbit && (flock .everbit/deploy.lock sleep 15"
                + " </dev/null >/dev/null 2>&1 &)").requireSuccess("hold the deploy lock");
        Throwable thrown = abort(new RollbackToShaStep("previous"), everbit(image),
                () -> log.text().contains("deploy lock held by"));
        assertEndedInterrupted(thrown, "rollbackToSha");
    }

    @Test
    void verifyHealthDuringPolling() throws Exception {
        String image = sandbox.registryHost() + "/jenkins/" + name;
        compose(image, "");
        VerifyHealthStep verify = new VerifyHealthStep();
        verify.setUrls(List.of("http://127.0.0.1:" + freePort() + "/actuator/health"));
        verify.setContainers(List.of("server"));
        verify.setTimeout(30);
        Throwable thrown = abort(verify, everbit(image),
                () -> launcher.commands.stream().filter(argv -> argv.get(0).equals("sh")).count() >= 2);
        assertEndedInterrupted(thrown, "verifyHealth");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomSha() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
