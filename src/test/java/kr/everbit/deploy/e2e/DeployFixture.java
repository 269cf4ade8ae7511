package kr.everbit.deploy.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.cli.Main;
import kr.everbit.deploy.sandbox.Sandbox;

/**
 * One compose project on the sandbox VM (sshd + dockerd on loopback), driven through the CLI exactly as an
 * operator types it. Each fixture has its own deploy dir (so its own compose project) and its own app port.
 */
final class DeployFixture implements AutoCloseable {

    final Sandbox sandbox;
    final Path dir;
    final int port;
    final String image;
    /**
     * The {@code --start-settle} of {@link #up} and {@link #rollback}: 1 s (still a check that the release keeps
     * running) where a test is not about how a start is judged, saving the default's 3-4 s per start; a test of a
     * crashing release keeps the default (see {@link #defaultStartSettle()}).
     */
    private List<String> startSettle = List.of("--start-settle", "1");

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    DeployFixture(Sandbox sandbox, String name) throws IOException {
        this(sandbox, name, null);
    }

    /** With {@code dbSha}, the project also has a {@code db} service running that release's image (release it first). */
    DeployFixture(Sandbox sandbox, String name, String dbSha) throws IOException {
        this(sandbox, name, dbSha, sandbox.registryHost());
    }

    /** With another {@code registry} than the sandbox's (a test's own, which it can stop). */
    DeployFixture(Sandbox sandbox, String name, String dbSha, String registry) throws IOException {
        this(registry + "/e2e/" + name, sandbox, name, dbSha);
    }

    /**
     * Releasing {@code image}, whose releases a test class may build once for all its tests (see
     * {@link #release(Sandbox, String, String, Map)}); the deploy dir, so the compose project, is still the test's own.
     */
    static DeployFixture sharing(Sandbox sandbox, String image, String name, String dbSha) throws IOException {
        return new DeployFixture(image, sandbox, name, dbSha);
    }

    private DeployFixture(String image, Sandbox sandbox, String name, String dbSha) throws IOException {
        this.sandbox = sandbox;
        this.port = freePort();
        this.image = image;
        this.dir = sandbox.newDeployDir(name);
        StringBuilder compose = new StringBuilder(String.join("\n",
                "services:",
                "  server:",
                "    image: " + image + ":unset",
                "    network_mode: host",
                "    environment:",
                "      PORT: \"" + port + "\"",
                ""));
        if (dbSha != null) {
            compose.append(String.join("\n",
                    "  db:",
                    "    image: " + image + ":" + dbSha,
                    "    network_mode: host",
                    "    entrypoint: [\"/bin/busybox\", \"sleep\", \"3600\"]",
                    // The image's check of an app that this db does not run would fail every second for nothing: each
                    // check is an exec that costs about 0.13 s of CPU here.
                    "    healthcheck:",
                    "      disable: true",
                    ""));
        }
        Files.writeString(dir.resolve("compose.yaml"), compose.toString());
        sandbox.giveToSshUser(dir);
    }

    /** Gives the server a healthcheck that never passes nor gives up, so a deploy waits for health until its timeout. */
    void neverHealthy() throws IOException {
        Path compose = dir.resolve("compose.yaml");
        String port = "      PORT: \"" + this.port + "\"\n";
        Files.writeString(compose, Files.readString(compose).replace(port, port + String.join("\n",
                "    healthcheck:",
                "      test: [\"CMD\", \"/bin/busybox\", \"false\"]",
                "      interval: 1s",
                "      retries: 100000",
                "")));
    }

    /**
     * Gives the server a healthcheck that only release {@code sha} never passes (it stays "starting", so a switch to
     * it waits for health until its timeout), while every other release becomes healthy within a second or two.
     */
    void slowToBecomeHealthy(String sha) throws IOException {
        Path compose = dir.resolve("compose.yaml");
        String port = "      PORT: \"" + this.port + "\"\n";
        Files.writeString(compose, Files.readString(compose).replace(port, port + String.join("\n",
                "    healthcheck:",
                "      test: [\"CMD\", \"/bin/busybox\", \"sh\", \"-c\", \"[ \\\"$$APP_RELEASE\\\" != " + sha + " ]\"]",
                "      interval: 1s",
                "      retries: 100000",
                "")));
    }

    /** Gives the server a healthcheck that first runs {@code seconds} after the start: every release is healthy then, not before. */
    void healthyAfter(int seconds) throws IOException {
        Path compose = dir.resolve("compose.yaml");
        String port = "      PORT: \"" + this.port + "\"\n";
        Files.writeString(compose, Files.readString(compose).replace(port, port + String.join("\n",
                "    healthcheck:",
                "      test: [\"CMD\", \"/bin/busybox\", \"true\"]",
                "      interval: " + seconds + "s",
                "")));
    }

    /** Makes {@link #up} and {@link #rollback} judge a start as an operator's default does (a crash loop must show). */
    void defaultStartSettle() {
        startSettle = List.of();
    }

    /** The ledger's lines as the VM holds them. */
    List<String> ledgerLines() throws IOException {
        Path ledger = dir.resolve(".everbit/releases.jsonl");
        return Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Removes the project's containers, so that no test leaves a server behind on a port. */
    @Override
    public void close() {
        sandbox.removeContainersOf(dir);
    }

    List<String> conn() {
        return List.of("--host", sandbox.sshHost(), "--port", String.valueOf(sandbox.sshPort()), "--user", sandbox.sshUser(),
                "--identity", sandbox.sshIdentity().toString(), "--known-hosts", sandbox.sshKnownHosts().toString(),
                "--dir", dir.toString());
    }

    List<String> compose() {
        return List.of("--compose", "compose.yaml", "--service", "server", "--image", image);
    }

    List<String> login() {
        return login(sandbox);
    }

    private static List<String> login(Sandbox sandbox) {
        return List.of("--registry-user", sandbox.registryUser(), "--registry-token-file", sandbox.registryTokenFile().toString());
    }

    Run up(String sha, String... more) {
        return cli(args(List.of("up"), conn(), compose(), List.of("--sha", sha, "--health-timeout", "30"), startSettle, login(),
                List.of(more)));
    }

    Run rollback(String to, String... more) {
        return cli(args(List.of("rollback"), conn(), compose(), List.of("--to", to, "--health-timeout", "30"), startSettle,
                List.of(more)));
    }

    Run status(String... more) {
        return cli(args(List.of("status"), conn(), List.of(more)));
    }

    /** What the app on this fixture's port says it is: the release it was built as, or null when nothing answers. */
    String serving() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/release")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @SafeVarargs
    static String[] args(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all.toArray(String[]::new);
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the CLI with {@code stdin} as System.in (for --registry-token-stdin); one at a time. */
    static synchronized Run cliWithStdin(InputStream stdin, String... args) {
        InputStream before = System.in;
        System.setIn(stdin);
        try {
            return cli(args);
        } finally {
            System.setIn(before);
        }
    }

    /** Builds and pushes the sandbox app as release {@code sha} of this fixture's repository; a variant: CRASH=true. */
    void release(String sha, Map<String, String> variant) {
        release(sandbox, image, sha, variant);
    }

    /** As {@link #release(String, Map)}, for the releases of {@code image} a test class shares among its tests. */
    static void release(Sandbox sandbox, String image, String sha, Map<String, String> variant) {
        List<String> build = new ArrayList<>(List.of("build", "--image", image, "--sha", sha, "--context",
                sandbox.appContext().toString(), "--build-arg", "RELEASE=" + sha));
        variant.forEach((k, v) -> build.addAll(List.of("--build-arg", k + "=" + v)));
        Run built = cli(build.toArray(String[]::new));
        if (built.exit() != 0 && built.all().contains("unable to find image")) {
            // The classic builder does not protect a build's intermediate images (moby/moby#29011): another lane's test
            // that removes a release image of the sandbox app, whose builds share their first steps, can delete one
            // while this build reads it ("unable to find image sha256:..."). A race of the shared dockerd: built again.
            built = cli(build.toArray(String[]::new));
        }
        if (built.exit() != 0) {
            throw new IllegalStateException("build failed: " + built.all());
        }
        Run pushed = cli(args(List.of("push", "--image", image, "--sha", sha), login(sandbox)));
        if (pushed.exit() != 0) {
            throw new IllegalStateException("push failed: " + pushed.all());
        }
    }

    void release(String sha) {
        release(sha, Map.of());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[20];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    static String randomSha() {
        return java.util.HexFormat.of().formatHex(randomBytes());
    }
}
