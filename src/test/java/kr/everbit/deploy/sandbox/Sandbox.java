package kr.everbit.deploy.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The loopback test environment started by {@code scripts/test-env.sh}: what it wrote to
 * {@code .sandbox/env.properties}, typed, plus the few operations tests need around it.
 *
 * <p>{@link #get()} fails (never skips) with {@value #NOT_RUNNING} when the file is missing or the sandbox's sshd
 * does not answer. The file is found by walking up from the working directory to the repository root (the
 * directory holding {@code pom.xml} and {@code scripts/test-env.sh}); the system property
 * {@code everbit.sandbox.env} or the environment variable {@code EVERBIT_SANDBOX_ENV} may name another
 * env.properties (say, a sandbox started from another checkout).
 *
 * <p>Plain JDK only. Images used by tests must be local (built here) or in the sandbox registry
 * ({@link #registryHost()}): the Docker daemon refuses to pull from anywhere else.
 */
public final class Sandbox {

    public static final String NOT_RUNNING = "sandbox not running: run scripts/test-env.sh";

    /**
     * JUnit resource lock of the VM's second lane: the classes holding it run beside the rest of the VM's classes
     * (junit-platform.properties) and one at a time among themselves. Each of them uses deploy dirs, images and
     * ports of its own; what they do share is named by the locks below.
     */
    public static final String SECOND_LANE = "everbit-sandbox-second-lane";
    /**
     * JUnit resource lock on the VM user's home and the temporary files of every session: a class that changes the
     * home (a Docker CLI plugin) or looks at every file written (for a secret) holds it READ_WRITE; a class of the
     * second lane holds it READ, so that neither sees the other's work.
     */
    public static final String VM_USER_FILES = "everbit-sandbox-vm-user-files";
    /** JUnit resource lock on {@link #appPort()}: one app at a time answers there for Nginx and Prometheus. */
    public static final String APP_PORT = "everbit-sandbox-app-port";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@+-]*");
    private static final Duration DOCKER_TIMEOUT = Duration.ofMinutes(3);

    private final Path envFile;
    private final Properties props;

    private Sandbox(Path envFile, Properties props) {
        this.envFile = envFile;
        this.props = props;
    }

    /** The running sandbox, or an {@link IllegalStateException} saying {@value #NOT_RUNNING}. */
    public static Sandbox get() {
        Path env = locateEnvFile();
        if (!Files.isRegularFile(env)) {
            throw new IllegalStateException(NOT_RUNNING + " (no " + env + ")");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(env)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(NOT_RUNNING + " (cannot read " + env + ": " + e.getMessage() + ")", e);
        }
        Sandbox sandbox = new Sandbox(env, p);
        sandbox.requireListening("sshd", sandbox.sshHost(), sandbox.sshPort());
        return sandbox;
    }

    private static Path locateEnvFile() {
        String override = System.getProperty("everbit.sandbox.env", System.getenv("EVERBIT_SANDBOX_ENV"));
        if (override != null && !override.isBlank()) {
            return Paths.get(override).toAbsolutePath();
        }
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        Path firstPom = null;
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                if (firstPom == null) {
                    firstPom = dir;
                }
                if (Files.isRegularFile(dir.resolve("scripts/test-env.sh"))) {
                    return dir.resolve(".sandbox/env.properties");
                }
            }
        }
        if (firstPom == null) {
            throw new IllegalStateException(NOT_RUNNING + " (no pom.xml above " + start + ")");
        }
        return firstPom.resolve(".sandbox/env.properties");
    }

    private void requireListening(String what, String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            throw new IllegalStateException(NOT_RUNNING + " (" + what + " at " + host + ":" + port + ": "
                    + e.getMessage() + "; " + envFile + " is stale)", e);
        }
    }

    // ------------------------------------------------------------------------------------------- properties

    /** A raw value of env.properties; fails when the key is missing. */
    public String property(String key) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(envFile + " has no " + key + ": run scripts/test-env.sh again");
        }
        return v.trim();
    }

    /** A value of env.properties, or null when it has none. */
    String optionalProperty(String key) {
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private Path path(String key) {
        return Paths.get(property(key));
    }

    private int integer(String key) {
        try {
            return Integer.parseInt(property(key));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(envFile + ": " + key + " is not a number", e);
        }
    }

    private URI uri(String key) {
        return URI.create(property(key));
    }

    public Path envFile() {
        return envFile;
    }

    /** The .sandbox directory of the running sandbox (another checkout's when this one adopted it). */
    public Path dir() {
        return path("sandbox.dir");
    }

    public String sshHost() {
        return property("ssh.host");
    }

    public int sshPort() {
        return integer("ssh.port");
    }

    public String sshUser() {
        return property("ssh.user");
    }

    /** The deploy key (ed25519, no passphrase) authorized for {@link #sshUser()}. */
    public Path sshIdentity() {
        return path("ssh.identity");
    }

    /** known_hosts with the sandbox sshd's real host key for {@code [127.0.0.1]:2222}. */
    public Path sshKnownHosts() {
        return path("ssh.knownHosts");
    }

    /** known_hosts with a different key for the same host: ssh must refuse it. */
    public Path sshKnownHostsWrong() {
        return path("ssh.knownHostsWrong");
    }

    /** Where deploy directories go on the "VM"; see {@link #newDeployDir(String)}. */
    public Path vmRoot() {
        return path("vm.root");
    }

    /** host:port of the registry (plain HTTP on loopback, basic auth). */
    public String registryHost() {
        return property("registry.host");
    }

    public String registryUser() {
        return property("registry.user");
    }

    public Path registryTokenFile() {
        return path("registry.tokenFile");
    }

    public String registryToken() {
        try {
            return Files.readString(registryTokenFile(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test application's build context (see scripts/sandbox-app/Dockerfile for its build args). */
    public Path appContext() {
        return path("app.context");
    }

    /** The port nginx proxies to and Prometheus scrapes. */
    public int appPort() {
        return integer("app.port");
    }

    /** https://127.0.0.1:8443, a certificate from {@link #tlsCaFile()}, proxying to {@link #appPort()}. */
    public URI nginxUrl() {
        return uri("nginx.url");
    }

    /** Same proxy, expired certificate from the same CA. */
    public URI nginxExpiredUrl() {
        return uri("nginx.expiredUrl");
    }

    /** Same proxy, valid certificate from a CA that is not {@link #tlsCaFile()}. */
    public URI nginxOtherCaUrl() {
        return uri("nginx.otherCaUrl");
    }

    public Path tlsCaFile() {
        return path("tls.caFile");
    }

    /** Prometheus, scraping 127.0.0.1:{@link #appPort()}/metrics every second. */
    public URI prometheusUrl() {
        return uri("prometheus.url");
    }

    // ------------------------------------------------------------------------------------------- HTTP and TLS

    /** An SSLContext that trusts only the sandbox's test CA. */
    public SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(tlsCaFile())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("everbit-sandbox-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + tlsCaFile(), e);
        }
    }

    /** An HttpClient trusting only the test CA (plain HTTP works too), no redirects, 5 s connect timeout. */
    public HttpClient httpClient() {
        return HttpClient.newBuilder()
                .sslContext(sslContext())
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    // ------------------------------------------------------------------------------------------- the VM

    /**
     * A new, empty directory {@code vm.root/NAME-xxxxxxxx}, owned by {@link #sshUser()} (mode 755): a deploy
     * directory on the "VM".
     */
    public Path newDeployDir(String name) {
        requireName("deploy dir name", name);
        Path dir = vmRoot().resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        giveToSshUser(dir);
        return dir;
    }

    /** Writes a file (creating its parent directories) and gives it, and those directories, to the ssh user. */
    public Path writeAsSshUser(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            for (Path p = parent; p != null && p.startsWith(vmRoot()) && !p.equals(vmRoot()); p = p.getParent()) {
                giveToSshUser(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        giveToSshUser(file);
        return file;
    }

    /** chown -R to the ssh user (and its group of the same name). */
    public void giveToSshUser(Path path) {
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(sshUser());
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(sshUser());
            List<Path> all;
            try (Stream<Path> walk = Files.walk(path)) {
                all = walk.toList();
            }
            for (Path p : all) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to " + sshUser() + " (tests run as root)", e);
        }
    }

    /**
     * Removes at once every container compose made for the compose files in {@code dir} (the slots of proxy mode too),
     * found by compose's label: a test's cleanup, without a compose run (compose v1 costs about a second of CPU).
     */
    public void removeContainersOf(Path dir) {
        String label;
        try {
            label = "label=com.docker.compose.project.working_dir=" + dir.toRealPath();
        } catch (IOException e) {
            return;
        }
        ssh("docker ps -aq --filter " + quote(label) + " | xargs -r docker rm -f >/dev/null 2>&1; true");
    }

    /** Runs a command on the "VM" as {@link #sshUser()}, checking the host key against {@link #sshKnownHosts()}. */
    public Exec ssh(String remoteCommand) {
        return ssh(sshKnownHosts(), remoteCommand);
    }

    /** As {@link #ssh(String)}, with another known_hosts file (say, {@link #sshKnownHostsWrong()}). */
    public Exec ssh(Path knownHosts, String remoteCommand) {
        return ssh(sshHost(), sshPort(), knownHosts, remoteCommand);
    }

    /** As {@link #ssh(String)}, to another host of the sandbox (a node of the {@link SwarmCluster}). */
    Exec ssh(String host, int port, Path knownHosts, String remoteCommand) {
        List<String> cmd = List.of("ssh", "-F", "none", "-n",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR",
                "-i", sshIdentity().toString(),
                "-p", Integer.toString(port),
                sshUser() + "@" + host,
                remoteCommand);
        return run(cmd, Map.of(), Duration.ofMinutes(2));
    }

    // ------------------------------------------------------------------------------------------- images

    /**
     * docker build of {@link #appContext()} tagged {@code repoWithTag}; build args as in
     * scripts/sandbox-app/Dockerfile: RELEASE, HEALTH=up|down, ERRORS=none|low|high, CRASH=true|false.
     */
    public void buildAppImage(String repoWithTag, Map<String, String> buildArgs) {
        buildAppImage(appContext(), repoWithTag, buildArgs);
    }

    /** As {@link #buildAppImage(String, Map)}, from another build context of the test app. */
    void buildAppImage(Path context, String repoWithTag, Map<String, String> buildArgs) {
        requireImage(repoWithTag);
        List<String> cmd = new ArrayList<>(List.of("docker", "build", "-q", "-t", repoWithTag));
        buildArgs.forEach((k, v) -> {
            requireName("build arg", k);
            cmd.add("--build-arg");
            cmd.add(k + "=" + v);
        });
        cmd.add(context.toString());
        // the legacy builder: the machine's docker client may have no buildx plugin
        run(cmd, Map.of("DOCKER_BUILDKIT", "0"), DOCKER_TIMEOUT).requireSuccess("docker build " + repoWithTag);
    }

    /** docker push to the sandbox registry, logged in with a docker config kept under .sandbox/run. */
    public void pushImage(String repoWithTag) {
        requireImage(repoWithTag);
        if (!repoWithTag.startsWith(registryHost() + "/")) {
            throw new IllegalArgumentException(repoWithTag + " is not in the sandbox registry " + registryHost());
        }
        Path config = envFile.getParent().resolve("run/docker-config-tests");
        try {
            Files.createDirectories(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec login = runWithInput(List.of("docker", "--config", config.toString(), "login", registryHost(),
                "-u", registryUser(), "--password-stdin"), registryToken() + "\n", Duration.ofMinutes(1));
        login.requireSuccess("docker login " + registryHost());
        run(List.of("docker", "--config", config.toString(), "push", repoWithTag), Map.of(), DOCKER_TIMEOUT)
                .requireSuccess("docker push " + repoWithTag);
    }

    // ------------------------------------------------------------------------------------------- compose files

    /**
     * A compose file (compose spec, no top-level version: docker-compose 1.29 accepts it) with one service on
     * the host network, the test app listening on 127.0.0.1:PORT.
     */
    public static String composeFile(int port, String service, String image) {
        return "# written by Sandbox.composeFile\nservices:\n" + appService(port, service, image, false);
    }

    /**
     * As {@link #composeFile(int, String, String)}, plus a {@code db} service that the app depends on: an idle
     * container of {@code dbImage} (say, the same image), so tests can check that {@code up --no-deps SERVICE}
     * leaves it alone.
     */
    public static String composeFileWithDb(int port, String service, String image, String dbImage) {
        requireImage(dbImage);
        if ("db".equals(service)) {
            throw new IllegalArgumentException("the app service cannot be called db here");
        }
        return "# written by Sandbox.composeFileWithDb\nservices:\n"
                + appService(port, service, image, true)
                + "  db:\n"
                + "    image: \"" + dbImage + "\"\n"
                + "    network_mode: host\n"
                + "    entrypoint: [\"/bin/busybox\", \"sh\", \"-c\", \"trap 'exit 0' TERM INT; sleep 2147483647 & wait\"]\n"
                + "    healthcheck:\n"
                + "      disable: true\n";
    }

    private static String appService(int port, String service, String image, boolean dependsOnDb) {
        requireName("service", service);
        requireImage(image);
        if (port < 1024 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not an unprivileged TCP port");
        }
        return "  " + service + ":\n"
                + "    image: \"" + image + "\"\n"
                + "    network_mode: host\n"
                + "    environment:\n"
                + "      PORT: \"" + port + "\"\n"
                + (dependsOnDb ? "    depends_on:\n      - db\n" : "");
    }

    private static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' must match " + NAME);
        }
    }

    private static void requireImage(String image) {
        if (image == null || !IMAGE.matcher(image).matches()) {
            throw new IllegalArgumentException("image '" + image + "' must match " + IMAGE);
        }
    }

    // ------------------------------------------------------------------------------------------- processes

    /** Runs a local command; stdin is empty. */
    public static Exec run(List<String> command, Map<String, String> env, Duration timeout) {
        return runWithInput(command, env, "", timeout);
    }

    private static Exec runWithInput(List<String> command, String stdin, Duration timeout) {
        return runWithInput(command, Map.of(), stdin, timeout);
    }

    private static Exec runWithInput(List<String> command, Map<String, String> env, String stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the command did not read its input
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + ": no exit after " + timeout
                        + "\n" + out.getNow("") + err.getNow(""));
            }
            return new Exec(command, p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The outcome of a finished command. */
    public record Exec(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public Exec requireSuccess(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " failed with exit code " + exitCode
                        + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " of " + String.join(" ", command) + "\n" + stdout + stderr;
        }
    }

    /** Shell-quotes arguments for {@link #ssh(String)}. */
    public static String quote(String... args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }
}
