package kr.everbit.deploy.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jenkins.model.CauseOfInterruption.UserInterruption;
import kr.everbit.deploy.library.PipelineHarness.StepCall;
import kr.everbit.deploy.library.PipelineHarness.StepFailure;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution.ExceededTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** vars/everbitDeploy.groovy: method B of the standard (4.2), step by step. */
class EverbitDeployPipelineTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final String SHA = "3f9c2ab5d0e14c7a9b8e6f5d4c3b2a1908172635";
    static final String[] DEPLOY_STEPS = {"checkout", "sh", "buildImage", "pushGhcr", "sshComposeUp", "verifyHealth",
            "rollbackToSha"};

    static PipelineHarness build(String gitBranch) {
        return new PipelineHarness(REPO)
                .onStep("checkout", call -> Map.of("GIT_COMMIT", SHA, "GIT_BRANCH", gitBranch));
    }

    static PipelineHarness mainMerge() {
        return build("origin/main").env("BRANCH_NAME", "main");
    }

    @Test
    void mergeToMainTestsBuildsPushesDeploysAndVerifiesTheCommitSha() {
        PipelineHarness run = mainMerge().callVar("everbitDeploy", Map.of());

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls(DEPLOY_STEPS)).extracting(PipelineHarness.StepCall::name)
                .containsExactly("checkout", "sh", "buildImage", "pushGhcr", "sshComposeUp", "verifyHealth");
        assertThat(run.stages()).containsExactly("Checkout", "Test", "Build image", "Push to registry", "Compose up",
                "Verify health");
        assertThat(run.only("sh").arg(0)).isEqualTo("mvn -B verify");
        for (String step : List.of("buildImage", "pushGhcr", "sshComposeUp")) {
            assertThat(run.only(step).named()).as(step).containsEntry("sha", SHA);
        }
        assertThat(run.only("buildImage").within()).containsExactly("node", "stage");
    }

    @Test
    void omittedSettingsAreNotPassedSoThePluginsGlobalConfigurationApplies() {
        PipelineHarness run = mainMerge().callVar("everbitDeploy", Map.of());

        assertThat(run.only("buildImage").named()).containsOnlyKeys("sha");
        assertThat(run.only("pushGhcr").named()).containsOnlyKeys("sha");
        assertThat(run.only("sshComposeUp").named()).containsOnlyKeys("sha");
        assertThat(run.only("verifyHealth").args()).containsExactly(Map.of());
    }

    @Test
    void eachConfigKeyReachesOnlyTheStepsThatTakeIt() {
        PipelineHarness run = mainMerge().callVar("everbitDeploy", Map.of(
                "image", "ghcr.io/everbit/server", "dockerfile", "docker/Dockerfile", "registryCredentialsId", "ghcr",
                "pullCredentialsId", "ghcr-pull", "host", "api.everbit.kr", "composeFiles", List.of("docker/compose.yaml", "docker/compose.prod.yaml"),
                "retain", 5, "urls", List.of("https://api.everbit.kr/"), "testCommand", "./gradlew test"));

        assertThat(run.only("sh").arg(0)).isEqualTo("./gradlew test");
        assertThat(run.only("buildImage").named())
                .containsOnlyKeys("sha", "image", "dockerfile");
        assertThat(run.only("pushGhcr").named())
                .containsOnly(Map.entry("sha", SHA), Map.entry("image", "ghcr.io/everbit/server"), Map.entry("credentialsId", "ghcr"));
        assertThat(run.only("sshComposeUp").named())
                .containsOnlyKeys("sha", "image", "host", "composeFiles", "registryCredentialsId", "pullCredentialsId", "retain");
        assertThat(run.only("verifyHealth").named())
                .containsOnlyKeys("image", "host", "composeFiles", "urls");
    }

    @Test
    void failedVerificationRollsBackToThePreviousShaAndFailsWithTheReasonInTheDescription() {
        PipelineHarness run = mainMerge()
                .onStep("verifyHealth", call -> {
                    throw new StepFailure("https://api.everbit.kr/ answered 502 (expected 200)\nprobe table ...");
                })
                .callVar("everbitDeploy", Map.of("host", "api.everbit.kr"));

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.calls(DEPLOY_STEPS)).extracting(PipelineHarness.StepCall::name)
                .containsExactly("checkout", "sh", "buildImage", "pushGhcr", "sshComposeUp", "verifyHealth", "rollbackToSha");
        assertThat(run.only("rollbackToSha").named())
                .containsOnly(Map.entry("sha", "previous"), Map.entry("failedChecks", SHA), Map.entry("host", "api.everbit.kr"));
        assertThat(run.description())
                .contains("3f9c2ab5d0e1", "answered 502", "rolled back to " + PipelineHarness.PREVIOUS_SHA.substring(0, 12))
                .doesNotContain("probe table");
        assertThat(run.failure()).hasMessageContaining("answered 502").hasMessageContaining(PipelineHarness.PREVIOUS_SHA);
    }

    /** Proxy mode reaches the deploy and its automatic rollback, so that the rollback is a swap back too. */
    @Test
    void theSwitchModeReachesTheDeployAndTheAutomaticRollbackOnly() {
        Map<String, Object> proxy = Map.of("switch", "proxy", "proxyHost", "127.0.0.1", "proxyPort", List.of(8081, 8082),
                "proxyReload", "docker compose exec -T nginx nginx -s reload", "drain", 2, "warm", 300);
        PipelineHarness run = mainMerge()
                .onStep("verifyHealth", call -> {
                    throw new StepFailure("https://api.everbit.kr/ answered 502 (expected 200)");
                })
                .callVar("everbitDeploy", proxy);

        assertThat(run.only("sshComposeUp").named()).containsAllEntriesOf(proxy).containsOnlyKeys(
                Stream.concat(Stream.of("sha"), proxy.keySet().stream()).toList());
        assertThat(run.only("rollbackToSha").named()).containsAllEntriesOf(proxy);
        assertThat(run.only("verifyHealth").args()).containsExactly(Map.of());
        assertThat(run.only("buildImage").named()).containsOnlyKeys("sha");
    }

    @Test
    void aFailedRollbackIsSaidPlainly() {
        PipelineHarness run = mainMerge()
                .onStep("verifyHealth", call -> {
                    throw new StepFailure("container server is restarting");
                })
                .onStep("rollbackToSha", call -> {
                    throw new StepFailure("there is no previous release in the ledger");
                })
                .callVar("everbitDeploy", Map.of());

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.description()).contains("container server is restarting", "rollback FAILED", "no previous release");
        assertThat(run.failure()).hasMessageContaining("Rolling back to the previous release failed too");
    }

    @Test
    void pullRequestRunsTheTestsOnly() {
        PipelineHarness run = build("PR-12").env("BRANCH_NAME", "PR-12").env("CHANGE_ID", "12")
                .callVar("everbitDeploy", Map.of());

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls(DEPLOY_STEPS)).extracting(PipelineHarness.StepCall::name).containsExactly("checkout", "sh");
        assertThat(run.stages()).containsExactly("Checkout", "Test");
        assertThat(run.log()).anyMatch(line -> line.contains("pull request #12: tests only"));
    }

    @Test
    void aPullRequestTargetingMainStillDoesNotDeploy() {
        // Multibranch sets BRANCH_NAME=PR-n for pull requests, but CHANGE_ID alone must stop the deploy.
        PipelineHarness run = build("origin/main").env("BRANCH_NAME", "main").env("CHANGE_ID", "7")
                .callVar("everbitDeploy", Map.of());

        assertThat(run.calls("buildImage", "pushGhcr", "sshComposeUp", "verifyHealth")).isEmpty();
    }

    @Test
    void anotherBranchRunsTheTestsOnly() {
        PipelineHarness run = build("origin/feature/orders").env("BRANCH_NAME", "feature/orders")
                .callVar("everbitDeploy", Map.of());

        assertThat(run.calls("buildImage", "pushGhcr", "sshComposeUp", "verifyHealth")).isEmpty();
        assertThat(run.log()).anyMatch(line -> line.contains("branch feature/orders is not main"));
    }

    @Test
    void withoutBranchNameTheCheckoutsGitBranchDecides() {
        // A plain Pipeline job (not Multibranch) has no BRANCH_NAME; the Git plugin reports origin/<branch>.
        assertThat(build("origin/main").callVar("everbitDeploy", Map.of()).calls("buildImage")).hasSize(1);
        assertThat(build("origin/foo/main").callVar("everbitDeploy", Map.of()).calls("buildImage")).isEmpty();
        assertThat(build("origin/release").callVar("everbitDeploy", Map.of("deployBranch", "release"))
                .calls("buildImage")).hasSize(1);
    }

    @Test
    void failingTestsStopTheBuildBeforeAnImageIsBuilt() {
        PipelineHarness run = mainMerge()
                .onStep("sh", call -> {
                    throw new StepFailure("script returned exit code 1");
                })
                .callVar("everbitDeploy", Map.of());

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.calls("buildImage", "pushGhcr", "sshComposeUp", "verifyHealth", "rollbackToSha")).isEmpty();
    }

    @Test
    void aMistypedConfigKeyIsRefusedBeforeAnyStep() {
        PipelineHarness run = mainMerge().callVar("everbitDeploy", Map.of("composefiles", List.of("x.yaml")));

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.stepNames()).containsExactly("everbitDeploy", "error");
        assertThat(run.failure()).hasMessageContaining("unknown config key(s) composefiles");
    }

    @Test
    void anAgentLabelChoosesTheNode() {
        PipelineHarness run = mainMerge().callVar("everbitDeploy", Map.of("agent", "docker"));

        assertThat(run.only("node").args()).first().isEqualTo("docker");
    }

    // --- abort and timeout: FlowInterruptedException is rethrown, the build ends ABORTED, nothing rolls back by itself

    static final String SHORT = SHA.substring(0, 12);
    static final String PREVIOUS_SHORT = PipelineHarness.PREVIOUS_SHA.substring(0, 12);
    static final String UNHEALTHY = "https://api.everbit.kr/ answered 502 (expected 200)";

    /** The step that runs in each stage, and what the description says when the build stops there. */
    static Stream<Arguments> stages() {
        return Stream.of(
                Arguments.of("checkout", "Checkout", "%s in Checkout: nothing was deployed"),
                Arguments.of("sh", "Test", SHORT + " %s in Test: nothing was deployed"),
                Arguments.of("buildImage", "Build image", SHORT + " %s in Build image: nothing was deployed"),
                Arguments.of("pushGhcr", "Push to registry", SHORT + " %s in Push to registry: nothing was deployed"),
                Arguments.of("sshComposeUp", "Compose up", SHORT + " %s in Compose up: the VM runs " + SHORT
                        + " or the release before it (the ledger's current one), unverified"),
                Arguments.of("verifyHealth", "Verify health", SHORT + " runs on the VM, unverified: %s in Verify health"
                        + " (no automatic rollback; previous release " + PREVIOUS_SHORT + ")"),
                Arguments.of("rollbackToSha", "Verify health", SHORT + " failed its checks (" + UNHEALTHY
                        + "); the rollback %s: the VM runs " + SHORT + " or " + PREVIOUS_SHORT
                        + " (the ledger's current one), unverified"));
    }

    /** The automatic rollback runs only after a failed verification. */
    static PipelineHarness reaching(PipelineHarness run, String step) {
        return step.equals("rollbackToSha") ? run.onStep("verifyHealth", call -> {
            throw new StepFailure(UNHEALTHY + "\nprobe table ...");
        }) : run;
    }

    static List<String> deploySteps(PipelineHarness run) {
        return run.calls(DEPLOY_STEPS).stream().map(StepCall::name).toList();
    }

    static List<String> stepsUpTo(String step) {
        List<String> all = List.of(DEPLOY_STEPS);
        return all.subList(0, all.indexOf(step) + 1);
    }

    @ParameterizedTest(name = "abort during {0}")
    @MethodSource("stages")
    void theAbortButtonInAnyStageEndsTheBuildAbortedWithoutAnAutomaticRollback(String step, String stage, String description) {
        PipelineHarness run = reaching(mainMerge(), step).abortDuring(step).callVar("everbitDeploy", Map.of());

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(deploySteps(run)).as("no step after the abort, no rollback").isEqualTo(stepsUpTo(step));
        assertThat(run.stages()).last().isEqualTo(stage);
        assertThat(run.description()).isEqualTo(description.formatted("aborted"));
        assertThat(run.failure()).isInstanceOfSatisfying(FlowInterruptedException.class, e -> {
            assertThat(e.getCauses()).singleElement().isEqualTo(new UserInterruption(PipelineHarness.ABORTING_USER));
            assertThat(e.isActualInterruption()).isTrue();
        });
    }

    @ParameterizedTest(name = "pipeline timeout during {0}")
    @MethodSource("stages")
    void thePipelinesTimeoutInAnyStageEndsTheBuildAbortedWithoutAnAutomaticRollback(String step, String stage, String description) {
        // The Jenkinsfile's 45 minutes: run out during the step itself. During the verification, a slow build has
        // used most of them already, so the pipeline's limit comes before the verification's own.
        PipelineHarness run = reaching(mainMerge(), step).takes(step, Duration.ofHours(2));
        if (step.equals("verifyHealth") || step.equals("rollbackToSha")) {
            run.takes("buildImage", Duration.ofMinutes(44));
        }
        run.run("Jenkinsfile");

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(deploySteps(run)).as("no step after the timeout, no rollback").isEqualTo(stepsUpTo(step));
        assertThat(run.stages()).last().isEqualTo(stage);
        assertThat(run.description()).isEqualTo(description.formatted("timed out"));
        assertThat(run.failure()).isInstanceOfSatisfying(FlowInterruptedException.class, e ->
                assertThat(e.getCauses()).singleElement().isInstanceOf(ExceededTimeout.class));
        assertThat(run.elapsed()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void aVerificationThatOutlastsItsOwnTimeoutFailsAsAVerificationAndRollsBack() {
        PipelineHarness run = mainMerge().takes("verifyHealth", Duration.ofMinutes(30)).callVar("everbitDeploy", Map.of());

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.only("rollbackToSha").named()).containsOnly(Map.entry("sha", "previous"), Map.entry("failedChecks", SHA));
        // The plugin's defaults (timeout 60 s, settle 0) plus two minutes.
        assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(180));
        assertThat(run.description()).isEqualTo(SHORT + " unhealthy (verifyHealth did not finish within 180 s"
                + " (verifyStageTimeout)); rolled back to " + PREVIOUS_SHORT);
        assertThat(run.failure()).isInstanceOf(PipelineHarness.PipelineError.class).hasMessageContaining("did not finish within 180 s");
    }

    @Test
    void underTheJenkinsfileASlowVerificationStillRollsBackInsteadOfRunningIntoThePipelinesTimeout() {
        PipelineHarness run = mainMerge().takes("verifyHealth", Duration.ofHours(1)).run("Jenkinsfile");

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.calls("rollbackToSha")).hasSize(1);
        assertThat(run.elapsed()).isLessThan(Duration.ofMinutes(45));
    }

    @Test
    void theVerificationsOwnTimeoutFollowsItsTimeoutAndSettleOrItsOwnSetting() {
        PipelineHarness derived = mainMerge().takes("verifyHealth", Duration.ofHours(1))
                .callVar("everbitDeploy", Map.of("timeout", 300, "settle", "60"));
        assertThat(derived.elapsed()).isEqualTo(Duration.ofSeconds(300 + 60 + 120));
        assertThat(derived.only("verifyHealth").within()).containsExactly("node", "stage", "timeout");

        PipelineHarness set = mainMerge().takes("verifyHealth", Duration.ofHours(1))
                .callVar("everbitDeploy", Map.of("timeout", 300, "verifyStageTimeout", 900));
        assertThat(set.elapsed()).isEqualTo(Duration.ofSeconds(900));
        assertThat(set.only("verifyHealth").named()).containsOnlyKeys("timeout");

        // Within its time the verification is not cut short.
        PipelineHarness slowButInTime = mainMerge().takes("verifyHealth", Duration.ofSeconds(170)).callVar("everbitDeploy", Map.of());
        assertThat(slowButInTime.result()).isEqualTo("SUCCESS");
        assertThat(slowButInTime.calls("rollbackToSha")).isEmpty();
    }

    @Test
    void aVerifyStageTimeoutThatCannotHoldTheVerificationIsRefusedBeforeAnyStep() {
        PipelineHarness tooShort = mainMerge().callVar("everbitDeploy", Map.of("timeout", 120, "verifyStageTimeout", 100));
        assertThat(tooShort.stepNames()).containsExactly("everbitDeploy", "error");
        assertThat(tooShort.failure()).hasMessageContaining("verifyStageTimeout (100 s) must be longer than the verification itself (timeout + settle = 120 s)");

        PipelineHarness notANumber = mainMerge().callVar("everbitDeploy", Map.of("verifyStageTimeout", "5m"));
        assertThat(notANumber.stepNames()).containsExactly("everbitDeploy", "error");
        assertThat(notANumber.failure()).hasMessageContaining("verifyStageTimeout must be a whole number of seconds, not '5m'");
    }

    @Test
    void anInterruptedExceptionThatIsNotAnAbortIsRethrownTooAndRollsNothingBack() {
        // Jenkins ends a build that a plain InterruptedException escapes as FAILURE (only FlowInterruptedException
        // carries a result); it is still no verification failure.
        PipelineHarness run = mainMerge()
                .onStep("verifyHealth", call -> {
                    throw new InterruptedException("sleep interrupted");
                })
                .callVar("everbitDeploy", Map.of());

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.calls("rollbackToSha")).isEmpty();
        assertThat(run.failure()).isExactlyInstanceOf(InterruptedException.class);
        assertThat(run.description()).startsWith(SHORT + " runs on the VM, unverified: interrupted in Verify health");
    }
}
