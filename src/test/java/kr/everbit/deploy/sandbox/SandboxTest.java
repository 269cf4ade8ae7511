package kr.everbit.deploy.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox of scripts/test-env.sh is up and each of its services answers as the other tests expect. */
class SandboxTest {

    private static Sandbox sandbox;

    @BeforeAll
    static void sandbox() {
        sandbox = Sandbox.get();
    }

    @Test
    void sshRunsDockerAsTheDeployUser() {
        Sandbox.Exec r = sandbox.ssh("id -un; docker version --format '{{.Server.Version}}'; docker-compose version --short")
                .requireSuccess("ssh docker version");
        List<String> lines = r.stdout().lines().toList();
        assertEquals(sandbox.sshUser(), lines.get(0));
        assertFalse(lines.get(1).isBlank(), r.toString());
        assertTrue(lines.get(2).startsWith("1."), "docker-compose v1 expected: " + r);
    }

    @Test
    void sshRefusesAWrongHostKey() {
        Sandbox.Exec r = sandbox.ssh(sandbox.sshKnownHostsWrong(), "true");
        assertEquals(255, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                || r.stderr().contains("Host key verification failed"), r.toString());
    }

    @Test
    void registryWantsTheToken() throws Exception {
        HttpClient http = sandbox.httpClient();
        URI v2 = URI.create("http://" + sandbox.registryHost() + "/v2/");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(v2).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        String basic = Base64.getEncoder().encodeToString(
                (sandbox.registryUser() + ":" + sandbox.registryToken()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> authorized = http.send(HttpRequest.newBuilder(v2).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, authorized.statusCode());
    }

    @Test
    void nginxServesTlsFromTheTestCaOnly() throws Exception {
        HttpClient http = sandbox.httpClient();
        // any status will do (502 while no app listens on app.port): the handshake verified against the test CA
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(sandbox.nginxUrl().resolve("/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertTrue(r.statusCode() >= 200 && r.statusCode() < 600);
        assertThrows(SSLHandshakeException.class, () -> http.send(
                HttpRequest.newBuilder(sandbox.nginxExpiredUrl().resolve("/")).build(), HttpResponse.BodyHandlers.discarding()));
        assertThrows(SSLHandshakeException.class, () -> http.send(
                HttpRequest.newBuilder(sandbox.nginxOtherCaUrl().resolve("/")).build(), HttpResponse.BodyHandlers.discarding()));
    }

    @Test
    void prometheusIsReady() throws Exception {
        HttpResponse<String> r = sandbox.httpClient().send(
                HttpRequest.newBuilder(sandbox.prometheusUrl().resolve("/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void deployDirBelongsToTheSshUser() throws IOException {
        Path dir = sandbox.newDeployDir("sandbox-test");
        assertEquals(sandbox.sshUser(), Files.getOwner(dir).getName());
        sandbox.ssh("touch " + Sandbox.quote(dir.resolve("written-over-ssh").toString())).requireSuccess("touch over ssh");
        assertTrue(Files.exists(dir.resolve("written-over-ssh")));
    }

    @Test
    void composeV1AcceptsTheGeneratedFiles() {
        String image = sandbox.registryHost() + "/sandbox-test/app:smoke";
        Path dir = sandbox.newDeployDir("sandbox-compose");
        sandbox.writeAsSshUser(dir.resolve("docker/compose.yaml"), Sandbox.composeFile(18099, "server", image));
        sandbox.writeAsSshUser(dir.resolve("docker/compose.db.yaml"), Sandbox.composeFileWithDb(18099, "server", image, image));
        Sandbox.Exec one = sandbox.ssh("cd " + Sandbox.quote(dir.toString()) + " && docker-compose -f docker/compose.yaml config")
                .requireSuccess("docker-compose config");
        assertTrue(one.stdout().contains("network_mode: host"), one.toString());
        Sandbox.Exec two = sandbox.ssh("cd " + Sandbox.quote(dir.toString()) + " && docker-compose -f docker/compose.db.yaml config --services")
                .requireSuccess("docker-compose config --services");
        assertEquals(List.of("db", "server"), two.stdout().lines().sorted().toList());
    }

    @Test
    void appImageBuildsFromTheContext() {
        String image = sandbox.registryHost() + "/sandbox-test/app:smoke";
        sandbox.buildAppImage(image, Map.of("RELEASE", "smoke", "ERRORS", "high"));
        Sandbox.Exec r = Sandbox.run(List.of("docker", "image", "inspect", "--format",
                "{{index .Config.Labels \"kr.everbit.sandbox.release\"}}", image), Map.of(), Duration.ofSeconds(30))
                .requireSuccess("docker image inspect");
        assertEquals("smoke", r.stdout().trim());
    }
}
