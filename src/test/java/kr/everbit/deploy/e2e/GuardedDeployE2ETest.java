package kr.everbit.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.flow.ComposeUp;
import kr.everbit.deploy.engine.flow.GuardedDeploy;
import kr.everbit.deploy.engine.flow.GuardedDeployRequest;
import kr.everbit.deploy.engine.flow.GuardedDeployResult;
import kr.everbit.deploy.engine.flow.OnFirstFailure;
import kr.everbit.deploy.engine.flow.RolledBackException;
import kr.everbit.deploy.engine.flow.VerifyFailedException;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.health.ContainerProbe;
import kr.everbit.deploy.engine.health.HealthScripts;
import kr.everbit.deploy.engine.health.HttpProbe;
import kr.everbit.deploy.engine.health.NoDataPolicy;
import kr.everbit.deploy.engine.health.Probe;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.PromQuery;
import kr.everbit.deploy.engine.health.PrometheusProbe;
import kr.everbit.deploy.engine.health.RemoteHttpProbe;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** up + verify + automatic rollback over one SSH session, against the sandbox's real sshd, dockerd and Prometheus. */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(Sandbox.SECOND_LANE)
@ResourceLock(value = Sandbox.VM_USER_FILES, mode = ResourceAccessMode.READ)
@ResourceLock(Sandbox.APP_PORT)
class GuardedDeployE2ETest {
    private static final Sandbox SANDBOX = Sandbox.get();
    private static String repository;
    private static String good;
    private static String good2;
    private static String down;
    private static String errors;
    private final HealthFixture.Lines progress = new HealthFixture.Lines();
    private final List<HealthFixture> fixtures = new ArrayList<>();

    @BeforeAll
    static void buildTheReleases() {
        repository = SANDBOX.registryHost() + "/e2e/guarded";
        good = HealthFixture.release(SANDBOX, repository, Map.of());
        good2 = HealthFixture.release(SANDBOX, repository, Map.of());
        down = HealthFixture.release(SANDBOX, repository, Map.of("HEALTH", "down"));
        errors = HealthFixture.release(SANDBOX, repository, Map.of("ERRORS", "high"));
    }

    @AfterEach
    void removeContainers() {
        fixtures.forEach(HealthFixture::close);
    }

    @Test
    void aHealthyReleaseIsDeployedAndVerifiedOverOneSession() {
        HealthFixture vmFixture = fixture("guarded-healthy", HealthFixture.freePort());
        try (Vm vm = vmFixture.connect(progress)) {
            new ComposeUp(progress).run(vm, vmFixture.up(good));
            GuardedDeployResult result = new GuardedDeploy(progress).run(vm, internalProbes(vm, vmFixture), request(vmFixture, good2));
            assertThat(result.verify().ok()).isTrue();
            assertThat(result.deployed().previous()).isEqualTo(good);
        }
        assertThat(vmFixture.serving()).isEqualTo(good2);
        assertThat(vmFixture.ledger().current()).isEqualTo(good2);
    }

    @Test
    void anUnhealthyContainerIsRolledBackWithExit3() {
        HealthFixture vmFixture = fixture("guarded-unhealthy", HealthFixture.freePort());
        RolledBackException e;
        try (Vm vm = vmFixture.connect(progress)) {
            new ComposeUp(progress).run(vm, vmFixture.up(good));
            e = catchThrowableOfType(RolledBackException.class,
                    () -> new GuardedDeploy(progress).run(vm, internalProbes(vm, vmFixture), request(vmFixture, down)));
        }
        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(e.runningSha()).isEqualTo(good);
        assertThat(e.getMessage()).startsWith("Release " + down + " did not become healthy on the VM (state=running health=unhealthy).")
                .contains("rolled back automatically to " + good).contains(good + " is running now");
        assertThat(e.reports()).singleElement().satisfies(r -> assertThat(r.ok()).isTrue());
        assertThat(vmFixture.serving()).isEqualTo(good);
        Ledger ledger = vmFixture.ledger();
        List<LedgerEntry> history = ledger.entries();
        assertThat(history.get(history.size() - 2)).satisfies(f -> {
            assertThat(f.sha()).isEqualTo(down);
            assertThat(f.result()).isEqualTo(LedgerEntry.FAILED);
        });
        assertThat(history.get(history.size() - 1)).satisfies(r -> {
            assertThat(r.sha()).isEqualTo(good);
            assertThat(r.action()).isEqualTo(LedgerEntry.ROLLBACK);
            assertThat(r.result()).isEqualTo(LedgerEntry.SUCCESS);
        });
        assertThat(ledger.current()).isEqualTo(good);
    }

    @Test
    void aHealthyAppWhose5xxRatioIsOverTheLimitIsRolledBackWithExit3() {
        HealthFixture vmFixture = fixture("guarded-5xx", SANDBOX.appPort());
        RolledBackException e;
        try (Vm vm = vmFixture.connect(progress)) {
            new ComposeUp(progress).run(vm, vmFixture.up(good));
            List<Probe> probes = new ProbePlan(List.of(new RemoteHttpProbe.Spec(vmFixture.local("/actuator/health")),
                    new ContainerProbe.Spec("server"),
                    new PrometheusProbe.Spec(new PromQuery(SANDBOX.prometheusUrl(), VerifyE2ETest.RATIO_5XX, 0.05), false, NoDataPolicy.FAIL)), null, 5)
                    .build(vm.shell(), new HealthScripts(vm.scripts()));
            GuardedDeployRequest request = new GuardedDeployRequest(vmFixture.up(errors),
                    new VerifyOptions(40, 250, 8, false, List.of("server")), OnFirstFailure.KEEP);
            e = catchThrowableOfType(RolledBackException.class, () -> new GuardedDeploy(progress).run(vm, probes, request));
        }
        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(e.getMessage()).as(progress.text())
                .startsWith("Release " + errors + " failed verification: probe 'prometheus ")
                .contains("query '" + VerifyE2ETest.RATIO_5XX + "' = 0.")
                .contains("(max 0.05)")
                .contains("rolled back automatically to " + good + ", which passed the same checks: " + good + " is running now");
        assertThat(e.reports()).hasSize(2);
        assertThat(e.reports().get(0).report().logs().get("server")).anyMatch(l -> l.contains("errors=high"));
        assertThat(vmFixture.serving()).isEqualTo(good);
        Ledger ledger = vmFixture.ledger();
        assertThat(ledger.entries()).extracting(LedgerEntry::sha, LedgerEntry::action, LedgerEntry::result).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple(errors, LedgerEntry.DEPLOY, LedgerEntry.SUCCESS),
                org.assertj.core.groups.Tuple.tuple(errors, LedgerEntry.VERIFY, LedgerEntry.FAILED),
                org.assertj.core.groups.Tuple.tuple(good, LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS));
        assertThat(ledger.current()).isEqualTo(good);
        assertThat(ledger.previous()).as("the failed release is no rollback target").isNull();
        // The first up, then the guarded deploy's up and its rollback in the same session: taken again at once.
        assertThat(progress.lines).filteredOn(l -> l.contains("take the deploy lock")).hasSize(3)
                .allMatch(l -> l.startsWith("[ok]"));
        assertThat(progress.text()).doesNotContain("deploy lock held by");
    }

    @Test
    void aFirstReleaseThatFailsItsChecksIsKeptWithExit1() {
        HealthFixture vmFixture = fixture("guarded-first-keep", HealthFixture.freePort());
        VerifyFailedException e;
        try (Vm vm = vmFixture.connect(progress)) {
            List<Probe> probes = new ProbePlan(List.of(new RemoteHttpProbe.Spec(vmFixture.local("/no-such-page"))), null, 5)
                    .build(vm.shell(), new HealthScripts(vm.scripts()));
            e = catchThrowableOfType(VerifyFailedException.class, () -> new GuardedDeploy(progress).run(vm, probes,
                    new GuardedDeployRequest(vmFixture.up(good), new VerifyOptions(2, 250, 0, false, List.of()), null)));
        }
        assertThat(e).isNotInstanceOf(RolledBackException.class);
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.getMessage()).startsWith("Release " + good + " failed verification: probe 'remote-url ")
                .contains("HTTP 404").contains("There is no earlier healthy release in the ledger")
                .contains(good + " was left as it is ({onFirstFailure} keep)");
        assertThat(vmFixture.serving()).isEqualTo(good);
        assertThat(vmFixture.ledger().entries()).last().satisfies(l -> {
            assertThat(l.action()).isEqualTo(LedgerEntry.VERIFY);
            assertThat(l.result()).isEqualTo(LedgerEntry.FAILED);
            assertThat(l.reason()).contains("HTTP 404");
        });
    }

    @Test
    void aFirstReleaseThatIsUnhealthyIsStoppedWhenAskedWithExit1() {
        HealthFixture vmFixture = fixture("guarded-first-stop", HealthFixture.freePort());
        VerifyFailedException e;
        try (Vm vm = vmFixture.connect(progress)) {
            e = catchThrowableOfType(VerifyFailedException.class, () -> new GuardedDeploy(progress).run(vm,
                    internalProbes(vm, vmFixture), new GuardedDeployRequest(vmFixture.up(down),
                            new VerifyOptions(5, 250, 0, false, List.of()), OnFirstFailure.STOP)));
        }
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.getMessage()).startsWith("Release " + down + " did not become healthy on the VM")
                .contains(down + " was stopped ({onFirstFailure} stop): server is not running.");
        assertThat(vmFixture.state("server")).isEqualTo("exited");
        assertThat(vmFixture.serving()).isNull();
    }

    @Test
    void aRollbackThatFailsTooIsExit1AndSaysSo() {
        HealthFixture vmFixture = fixture("guarded-rollback-fails", HealthFixture.freePort());
        String gone = DeployFixture.randomSha();
        SANDBOX.writeAsSshUser(vmFixture.dir.resolve(ComposeProject.LEDGER_FILE), Ledger.toJson(new LedgerEntry(gone,
                repository + ":" + gone, null, LedgerEntry.DEPLOY, LedgerEntry.SUCCESS, null, null, "2026-02-14T00:00:00Z",
                "e2e", null)) + "\n");
        VerifyFailedException e;
        try (Vm vm = vmFixture.connect(progress)) {
            List<Probe> probes = new ProbePlan(List.of(new RemoteHttpProbe.Spec(vmFixture.local("/no-such-page"))), null, 5)
                    .build(vm.shell(), new HealthScripts(vm.scripts()));
            e = catchThrowableOfType(VerifyFailedException.class, () -> new GuardedDeploy(progress).run(vm, probes,
                    new GuardedDeployRequest(vmFixture.up(good), new VerifyOptions(2, 250, 0, false, List.of()), null)));
        }
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.getMessage()).contains("The automatic rollback to " + gone + " FAILED too: ")
                .contains("is not in the registry").contains("the service may be down");
    }

    @Test
    void aRestoredReleaseThatFailsTheSameChecksIsExit1AndPointsAtTheInfrastructure() {
        HealthFixture vmFixture = fixture("guarded-both-fail", HealthFixture.freePort());
        URI closed = URI.create("http://127.0.0.1:" + HealthFixture.freePort() + "/");
        VerifyFailedException e;
        try (Vm vm = vmFixture.connect(progress)) {
            new ComposeUp(progress).run(vm, vmFixture.up(good));
            List<Probe> probes = new ProbePlan(List.of(new HttpProbe.Spec(closed)), null, 5)
                    .build(vm.shell(), new HealthScripts(vm.scripts()));
            e = catchThrowableOfType(VerifyFailedException.class, () -> new GuardedDeploy(progress).run(vm, probes,
                    new GuardedDeployRequest(vmFixture.up(good2), new VerifyOptions(1, 250, 0, false, List.of()), null)));
        }
        assertThat(e).isNotInstanceOf(RolledBackException.class);
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.getMessage()).contains("It was rolled back to " + good + ", but that fails verification too")
                .contains("infrastructure or the database");
        assertThat(e.reports()).hasSize(2);
        assertThat(vmFixture.serving()).isEqualTo(good);
    }

    private HealthFixture fixture(String name, int port) {
        HealthFixture fixture = new HealthFixture(SANDBOX, name, port, repository, repository + ":" + good);
        fixtures.add(fixture);
        return fixture;
    }

    private static List<Probe> internalProbes(Vm vm, HealthFixture fixture) {
        return new ProbePlan(List.of(new RemoteHttpProbe.Spec(fixture.local("/actuator/health")),
                new ContainerProbe.Spec("server"),
                new ContainerProbe.Spec("db")), null, 5).build(vm.shell(), new HealthScripts(vm.scripts()));
    }

    private static GuardedDeployRequest request(HealthFixture fixture, String sha) {
        return new GuardedDeployRequest(fixture.up(sha), new VerifyOptions(20, 250, 0, false, List.of("server")), null);
    }
}
