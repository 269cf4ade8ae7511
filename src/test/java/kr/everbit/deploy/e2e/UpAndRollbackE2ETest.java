package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The method-A commands against the sandbox VM (real sshd, dockerd, registry, compose v1), as an operator runs them. */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
class UpAndRollbackE2ETest {
    private final Sandbox sandbox = Sandbox.get();
    private final List<DeployFixture> fixtures = new java.util.ArrayList<>();
    /**
     * Two plain releases, built and pushed once for the tests that need no release of their own (the tests of
     * pruning, of digests and of a failed release's successors build theirs); each test has its own compose project.
     */
    private static String image;
    private static String one;
    private static String two;

    @org.junit.jupiter.api.BeforeAll
    static void buildTwoReleases() {
        Sandbox sandbox = Sandbox.get();
        image = sandbox.registryHost() + "/e2e/up-and-rollback";
        one = randomSha();
        two = randomSha();
        DeployFixture.release(sandbox, image, one, Map.of());
        DeployFixture.release(sandbox, image, two, Map.of());
    }

    @org.junit.jupiter.api.AfterEach
    void removeContainers() {
        fixtures.forEach(DeployFixture::close);
    }

    private DeployFixture fixture(String name, String dbSha) throws java.io.IOException {
        DeployFixture fixture = new DeployFixture(sandbox, name, dbSha);
        fixtures.add(fixture);
        return fixture;
    }

    /** A project releasing the class's shared releases {@link #one} and {@link #two}. */
    private DeployFixture sharedFixture(String name, String dbSha) throws java.io.IOException {
        DeployFixture fixture = DeployFixture.sharing(sandbox, image, name, dbSha);
        fixtures.add(fixture);
        return fixture;
    }

    @Test
    void deploysTwoReleasesRollsBackToThePreviousAndReportsStatus() throws Exception {
        DeployFixture vm = sharedFixture("two-releases", null);
        String first = one;
        String second = two;

        DeployFixture.Run up1 = vm.up(first);
        assertThat(up1.exit()).as(up1.all()).isZero();
        assertThat(vm.serving()).isEqualTo(first);
        assertThat(up1.err()).containsPattern("\\[ok\\] pull .* \\(\\d+\\.\\d+s\\)");

        assertThat(vm.up(second)).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());
        assertThat(vm.serving()).isEqualTo(second);

        DeployFixture.Run back = vm.rollback("previous", "--reason", "it's a test $(touch never)");
        assertThat(back.exit()).as(back.all()).isZero();
        assertThat(back.out().strip()).isEqualTo(first);
        assertThat(vm.serving()).isEqualTo(first);
        assertThat(back.err()).contains("still on the VM");

        DeployFixture.Run status = vm.status("--json");
        assertThat(status.exit()).as(status.all()).isZero();
        JsonNode json = new ObjectMapper().readTree(status.out());
        assertThat(json.get("current").asText()).isEqualTo(first);
        assertThat(json.get("previous").asText()).isEqualTo(second);
        JsonNode history = json.get("history");
        assertThat(history).hasSize(3);
        assertThat(history.get(2).get("action").asText()).isEqualTo("rollback");
        assertThat(history.get(2).get("result").asText()).isEqualTo("success");
        assertThat(history.get(2).get("at").asText()).isNotBlank();
        assertThat(history.get(2).get("reason").asText()).isEqualTo("it's a test $(touch never)");
        assertThat(history.get(1).get("digest").asText()).startsWith("sha256:");
    }

    @Test
    void aRollbackAwayFromAFailedReleaseKeepsPreviousFromPointingBackAtIt() throws Exception {
        DeployFixture vm = fixture("failed-checks", null);
        List<String> shas = List.of(randomSha(), randomSha(), randomSha());
        for (String sha : shas) {
            vm.release(sha);
            assertThat(vm.up(sha).exit()).isZero();
        }
        DeployFixture.Run back = vm.rollback("previous", "--failed-checks", shas.get(2), "--reason", "5xx after deploy");
        assertThat(back.exit()).as(back.all()).isZero();
        assertThat(vm.serving()).isEqualTo(shas.get(1));
        JsonNode json = new ObjectMapper().readTree(vm.status("--json").out());
        assertThat(json.get("current").asText()).isEqualTo(shas.get(1));
        assertThat(json.get("previous").asText()).as("the failed release is no candidate").isEqualTo(shas.get(0));
    }

    @Test
    void aReleaseRecreatesOnlyItsServiceAndTheByHandCommandsSeeTheSameContainers() throws Exception {
        String first = one;
        String second = two;
        DeployFixture vm = sharedFixture("no-deps", first);
        assertThat(vm.up(first)).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());
        String db = containerOf(vm, "db");
        assertThat(db).isNotBlank();

        assertThat(vm.up(second)).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());
        assertThat(containerOf(vm, "db")).as("the db container is not recreated by a release of server").isEqualTo(db);

        // Method A by hand, with the same files plus the pin, finds the container the tool started.
        Sandbox.Exec byHand = sandbox.ssh("cd " + vm.dir + " && docker-compose -f compose.yaml -f .everbit/pin.yaml ps -q server");
        assertThat(byHand.stdout().strip()).isEqualTo(containerOf(vm, "server"));
        assertThat(Files.readString(vm.dir.resolve("compose.yaml"))).as("the operator's file is untouched").contains(":unset");
    }

    @Test
    void anUnhealthyReleaseLeavesThePreviousRunningAndTheLedgerSaysSo() throws Exception {
        DeployFixture vm = sharedFixture("unhealthy", null);
        String good = one;
        String crashing = randomSha();
        vm.release(crashing, Map.of("CRASH", "true"));
        vm.defaultStartSettle(); // the crash a second after the start must show within the settle time
        assertThat(vm.up(good)).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());

        DeployFixture.Run bad = vm.up(crashing);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("did not become healthy").contains(good + " is running again");
        assertThat(vm.serving()).isEqualTo(good);
        JsonNode json = new ObjectMapper().readTree(vm.status("--json").out());
        assertThat(json.get("current").asText()).isEqualTo(good);
        JsonNode last = json.get("history").get(json.get("history").size() - 1);
        assertThat(last.get("sha").asText()).isEqualTo(crashing);
        assertThat(last.get("result").asText()).isEqualTo("failed");
    }

    @Test
    void anImageThatIsNotInTheRegistryChangesNothing() throws Exception {
        DeployFixture vm = sharedFixture("missing-image", null);
        String good = one;
        assertThat(vm.up(good)).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());

        DeployFixture.Run missing = vm.up(randomSha());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("is not in the registry").contains("push it first");
        assertThat(vm.serving()).isEqualTo(good);
        assertThat(Files.readString(vm.dir.resolve(".everbit/pin.yaml"))).contains(good);
    }

    @Test
    void aMissingComposeFileOrDeployDirIsNamed() throws Exception {
        DeployFixture vm = fixture("missing-file", null);
        List<String> compose = new java.util.ArrayList<>(vm.compose());
        compose.add(compose.indexOf("--compose") + 2, "--compose");
        compose.add(compose.indexOf("--compose") + 3, "docker/compose.prod.yaml");
        DeployFixture.Run run = cli(args(List.of("up"), vm.conn(), compose, List.of("--sha", randomSha())));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("compose file docker/compose.prod.yaml not found in " + vm.dir).contains("--compose");

        List<String> conn = new java.util.ArrayList<>(vm.conn());
        conn.set(conn.indexOf("--dir") + 1, vm.dir + "/absent");
        DeployFixture.Run noDir = cli(args(List.of("status"), conn));
        assertThat(noDir.exit()).isEqualTo(1);
        assertThat(noDir.err()).contains("deploy dir " + vm.dir + "/absent does not exist");
    }

    @Test
    void aWrongHostKeyStopsBeforeAnythingRuns() throws Exception {
        DeployFixture vm = fixture("wrong-host-key", null);
        List<String> conn = new java.util.ArrayList<>(vm.conn());
        conn.set(conn.indexOf("--known-hosts") + 1, sandbox.sshKnownHostsWrong().toString());
        DeployFixture.Run run = cli(args(List.of("status"), conn));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("host key").contains(sandbox.sshKnownHostsWrong().toString()).contains("do not connect");
    }

    @Test
    void aRefusedTokenFailsClearlyWithoutPrintingItAndKeepsTheRelease() throws Exception {
        DeployFixture vm = sharedFixture("bad-token", null);
        String good = one;
        String next = two;
        assertThat(vm.up(good)).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());
        String badToken = "bad-token-" + randomSha();
        java.nio.file.Path tokenFile = Files.writeString(Files.createTempFile("token", ""), badToken + "\n");
        DeployFixture.Run run = cli(args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", next,
                "--registry-user", sandbox.registryUser(), "--registry-token-file", tokenFile.toString())));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("refused").doesNotContain(badToken);
        assertThat(run.out()).doesNotContain(badToken);
        assertThat(vm.serving()).isEqualTo(good);

        DeployFixture.Run push = cli("push", "--image", vm.image, "--sha", next, "--registry-user", sandbox.registryUser(),
                "--registry-token-file", tokenFile.toString());
        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.all()).contains("refused the login").doesNotContain(badToken);
    }

    @Test
    void theTokenCanComeFromStdin() throws Exception {
        DeployFixture vm = sharedFixture("token-stdin", null);
        String sha = one;
        DeployFixture.Run run = DeployFixture.cliWithStdin(
                new java.io.ByteArrayInputStream((sandbox.registryToken() + "\n").getBytes()),
                args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", sha, "--registry-user", sandbox.registryUser(),
                        "--registry-token-stdin")));
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(vm.serving()).isEqualTo(sha);
    }

    @Test
    void oldReleasesArePrunedButNeverTheCurrentOrPrevious() throws Exception {
        DeployFixture vm = fixture("prune", null);
        List<String> shas = List.of(randomSha(), randomSha(), randomSha());
        for (String sha : shas) {
            vm.release(sha);
            assertThat(vm.up(sha, "--retain", "2")).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());
        }
        assertThat(imagePresent(vm.image + ":" + shas.get(0))).isFalse();
        assertThat(imagePresent(vm.image + ":" + shas.get(1))).isTrue();
        assertThat(imagePresent(vm.image + ":" + shas.get(2))).isTrue();
    }

    /**
     * A rollback to a release pruned from the VM pulls the bytes the ledger recorded, by digest: someone pushed other
     * content under the release's tag since, and the tag alone would bring that back instead.
     */
    @Test
    void aRollbackToAPrunedReleasePullsByTheRecordedDigestNotByATagPushedAgain() throws Exception {
        DeployFixture vm = fixture("digest-rollback", null);
        String first = randomSha();
        for (String sha : List.of(first, randomSha())) {
            vm.release(sha);
            assertThat(vm.up(sha)).satisfies(r -> assertThat(r.exit()).as(r.all()).isZero());
        }
        String tampered = randomSha();
        DeployFixture.Run rebuilt = cli("build", "--image", vm.image, "--sha", first, "--context",
                sandbox.appContext().toString(), "--build-arg", "RELEASE=" + tampered);
        assertThat(rebuilt.exit()).as(rebuilt.all()).isZero();
        DeployFixture.Run repushed = cli(args(List.of("push", "--image", vm.image, "--sha", first), vm.login()));
        assertThat(repushed.exit()).as(repushed.all()).isZero();
        // Pruned from the VM (as --retain does to older releases).
        sandbox.ssh("docker rmi " + vm.image + ":" + first + " >/dev/null");
        assertThat(imagePresent(vm.image + ":" + first)).isFalse();

        DeployFixture.Run back = vm.rollback(first, vm.login().toArray(String[]::new));
        assertThat(back.exit()).as(back.all()).isZero();
        assertThat(back.err()).contains("by the digest the ledger recorded");
        assertThat(vm.serving()).as("the release as it ran, not what the tag holds now").isEqualTo(first);
    }

    /**
     * With a pull token the VM logs in with it (a wrong one is refused by the registry) and the registry token is not
     * even read: the push token can live where the image is built and nowhere else.
     */
    @Test
    void theVmPullsWithItsOwnTokenAndThePushTokenIsNeverRead() throws Exception {
        DeployFixture vm = sharedFixture("pull-token", null);
        String sha = one;
        java.nio.file.Path dir = Files.createTempDirectory("pull-token");
        java.nio.file.Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-token-0123456789\n");
        java.nio.file.Path right = Files.writeString(dir.resolve("right"), Files.readString(sandbox.registryTokenFile()));
        List<String> pushTokenNotHere = List.of("--registry-user", sandbox.registryUser(),
                "--registry-token-file", dir.resolve("push-token-on-the-build-machine-only").toString());

        DeployFixture.Run refused = cli(args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", sha, "--health-timeout", "30"),
                pushTokenNotHere, List.of("--pull-token-file", wrong.toString())));
        assertThat(refused.exit()).as(refused.all()).isNotZero();
        assertThat(refused.all()).contains("refused the VM's login").doesNotContain("not-the-token-0123456789");

        DeployFixture.Run up = cli(args(List.of("up"), vm.conn(), vm.compose(), List.of("--sha", sha, "--health-timeout", "30"),
                pushTokenNotHere, List.of("--pull-token-file", right.toString())));
        assertThat(up.exit()).as(up.all()).isZero();
        assertThat(vm.serving()).isEqualTo(sha);
        assertThat(up.all()).doesNotContain(Files.readString(sandbox.registryTokenFile()).strip());
    }

    private String containerOf(DeployFixture vm, String service) {
        String project = vm.dir.getFileName().toString().toLowerCase().replaceAll("[^-_a-z0-9]", "");
        return sandbox.ssh("docker ps -q --no-trunc --filter label=com.docker.compose.project=" + project
                + " --filter label=com.docker.compose.service=" + service).stdout().strip();
    }

    private boolean imagePresent(String image) {
        return sandbox.ssh("docker image inspect " + image + " >/dev/null 2>&1 && echo yes || echo no").stdout().strip().equals("yes");
    }
}
