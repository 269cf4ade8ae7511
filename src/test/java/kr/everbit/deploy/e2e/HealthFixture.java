package kr.everbit.deploy.e2e;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.exec.LocalExecutor;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.flow.UpRequest;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.ssh.SshTarget;
import kr.everbit.deploy.sandbox.Sandbox;

/**
 * One compose project on the sandbox VM for the health tests, driven through the engine: {@code server} (the test
 * app) and an idle {@code db}. On the sandbox's app port, Nginx (TLS) and Prometheus see the app; on another
 * port only the VM does.
 */
final class HealthFixture implements AutoCloseable {
    static final String SERVICE = "server";
    final Sandbox sandbox;
    final Path dir;
    final int port;
    final String repository;
    final Masker masker = new Masker();

    HealthFixture(Sandbox sandbox, String name, int port, String repository, String dbImage) {
        this.sandbox = sandbox;
        this.port = port;
        this.repository = repository;
        this.dir = sandbox.newDeployDir(name);
        sandbox.writeAsSshUser(dir.resolve("compose.yaml"),
                Sandbox.composeFileWithDb(port, SERVICE, repository + ":unset", dbImage));
    }

    /** Builds and pushes the test app as a new release of {@code repository}; variant build args as in the Dockerfile. */
    static String release(Sandbox sandbox, String repository, Map<String, String> variant) {
        String sha = DeployFixture.randomSha();
        Map<String, String> args = new java.util.LinkedHashMap<>(variant);
        args.put("RELEASE", sha);
        sandbox.buildAppImage(repository + ":" + sha, args);
        sandbox.pushImage(repository + ":" + sha);
        return sha;
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    ComposeProject project() {
        return new ComposeProject(dir.toString(), List.of("compose.yaml"), SERVICE, ImageRef.of(repository));
    }

    Vm connect(Progress progress) {
        return Vm.connect(new LocalExecutor(), Connection.of(new SshTarget(sandbox.sshHost(), sandbox.sshPort(),
                sandbox.sshUser(), sandbox.sshIdentity().toString(), sandbox.sshKnownHosts().toString())), project(), progress, masker);
    }

    UpRequest up(String sha) {
        return new UpRequest(Release.of(sha), new RegistryLogin(sandbox.registryUser(), Secret.of(sandbox.registryToken())), 5, 30, 30, "e2e");
    }

    URI local(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The release the app on this port serves, or null when nothing answers. */
    String serving() {
        try {
            var r = sandbox.httpClient().send(java.net.http.HttpRequest.newBuilder(local("/release"))
                    .timeout(Duration.ofSeconds(3)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    Ledger ledger() {
        return Ledger.parse(sandbox.ssh("cat " + dir + "/" + ComposeProject.LEDGER_FILE + " 2>/dev/null; true").stdout().lines().toList());
    }

    /** The state docker reports for the project's containers of {@code service}: "running", "exited", or "" for none. */
    String state(String service) {
        String project = dir.getFileName().toString().toLowerCase().replaceAll("[^-_a-z0-9]", "");
        return sandbox.ssh("docker ps -a --format '{{.State}}' --filter label=com.docker.compose.project=" + project
                + " --filter label=com.docker.compose.service=" + service).stdout().strip();
    }

    @Override
    public void close() {
        sandbox.removeContainersOf(dir);
    }

    /** Progress that keeps every line (to assert on) and shows it in the test's output. */
    static final class Lines implements Progress {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(String text) {
            add("  " + text);
        }

        @Override
        public void warn(String text) {
            add("  WARNING: " + text);
        }

        @Override
        public void output(String line) {
            add("    | " + line);
        }

        @Override
        public void stepDone(String step, Duration took, boolean ok) {
            add((ok ? "[ok] " : "[FAILED] ") + step);
        }

        private synchronized void add(String line) {
            lines.add(line);
            System.err.println(line);
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }
}
