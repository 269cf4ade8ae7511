package kr.everbit.deploy.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** vars/everbitRollback.groovy: the body of the Rollback job. */
class EverbitRollbackPipelineTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final String[] WORK = {"everbitReleases", "input", "rollbackToSha", "verifyHealth"};

    static PipelineHarness rollbackJob(Object shaParameter) {
        return new PipelineHarness(REPO).param("SHA", shaParameter);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"abc;rm -rf /", "latest", "", "   ", "3F9C2AB", "3f9c2a", "3f9c2ab$(reboot)",
            "3f9c2ab5d0e14c7a9b8e6f5d4c3b2a19081726351", "previous; ls", "HEAD~1", "origin/main"})
    void aBadShaIsRefusedBeforeAnyStepRuns(String sha) {
        PipelineHarness run = rollbackJob(sha).callVar("everbitRollback", Map.of());

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.stepNames()).containsExactly("everbitRollback", "error");
        assertThat(run.failure()).hasMessageStartingWith("SHA parameter").hasMessageContaining("Nothing was run");
    }

    @Test
    void theRefusalShowsWhatWasTypedOnOneLine() {
        PipelineHarness run = rollbackJob("abc\nrm -rf /").callVar("everbitRollback", Map.of());

        assertThat(run.failure().getMessage()).contains("'abc?rm -rf /'").doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"previous", "3f9c2ab", "3f9c2ab5d0e14c7a9b8e6f5d4c3b2a1908172635"})
    void aValidShaIsConfirmedThenRolledBackThenVerified(String sha) {
        PipelineHarness run = rollbackJob(sha).callVar("everbitRollback", Map.of());

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.calls(WORK)).extracting(StepCall::name)
                .containsExactly("everbitReleases", "input", "rollbackToSha", "verifyHealth");
        assertThat(run.only("rollbackToSha").named()).containsExactly(Map.entry("sha", sha));
        assertThat(run.only("input").named().get("message").toString()).contains(sha);
        assertThat(run.stages()).containsExactly("Recent releases", "Confirm", "Roll back", "Verify health");
    }

    @Test
    void theConfirmationWaitsWithoutHoldingAnExecutorAndTheVmWorkRunsOnOne() {
        PipelineHarness run = rollbackJob("previous").callVar("everbitRollback", Map.of());

        assertThat(run.only("input").within()).doesNotContain("node").contains("timeout");
        for (String step : List.of("everbitReleases", "rollbackToSha", "verifyHealth")) {
            assertThat(run.only(step).within()).as(step).contains("node");
        }
    }

    @Test
    void theLedgersRecentReleasesAreShownBeforeTheQuestion() {
        PipelineHarness run = rollbackJob("previous").callVar("everbitRollback", Map.of("host", "api.everbit.kr"));

        assertThat(run.only("everbitReleases").named()).containsOnly(Map.entry("limit", 10), Map.entry("host", "api.everbit.kr"));
        assertThat(run.log()).anySatisfy(line -> assertThat(line)
                .contains("Recent releases on the VM", "222222222222", "111111111111", "deploy", "success"));
        assertThat(run.description()).isEqualTo("rolled back to " + PipelineHarness.PREVIOUS_SHA.substring(0, 12));
    }

    @Test
    void confirmFalseSkipsTheQuestion() {
        PipelineHarness run = rollbackJob("3f9c2ab").callVar("everbitRollback", Map.of("confirm", false));

        assertThat(run.calls(WORK)).extracting(StepCall::name)
                .containsExactly("everbitReleases", "rollbackToSha", "verifyHealth");
    }

    @Test
    void aDeclinedConfirmationEndsTheBuildAbortedAndRollsNothingBack() {
        // input's Abort ends the step with FlowInterruptedException(ABORTED) (its cause is input's Rejection, which
        // the harness does not model; the library treats every cause alike).
        PipelineHarness run = rollbackJob("3f9c2ab").abortDuring("input").callVar("everbitRollback", Map.of());

        assertThat(run.calls("rollbackToSha", "verifyHealth")).isEmpty();
        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(run.description()).isEqualTo("rollback to 3f9c2ab aborted in Confirm: nothing was changed on the VM");
    }

    @Test
    void theShaInConfigWinsOverTheParameterAndIsTrimmed() {
        PipelineHarness run = rollbackJob("previous").callVar("everbitRollback", Map.of("sha", " 3f9c2ab\n"));

        assertThat(run.only("rollbackToSha").named()).containsEntry("sha", "3f9c2ab");
    }

    @Test
    void anEmptyShaInConfigIsRefusedEvenWhenTheParameterIsValid() {
        Map<String, Object> config = new HashMap<>();
        config.put("sha", "");
        PipelineHarness run = rollbackJob("previous").callVar("everbitRollback", config);

        assertThat(run.stepNames()).containsExactly("everbitRollback", "error");
    }

    @Test
    void anUnhealthyRollbackFailsTheBuild() {
        PipelineHarness run = rollbackJob("previous")
                .onStep("verifyHealth", call -> {
                    throw new StepFailure("https://api.everbit.kr/ answered 503");
                })
                .callVar("everbitRollback", Map.of());

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.description()).contains("but unhealthy");
        assertThat(run.failure()).hasMessageContaining("answered 503");
    }

    @Test
    void theSubmitterAndTheConnectionSettingsAreHandedOn() {
        PipelineHarness run = rollbackJob("3f9c2ab").callVar("everbitRollback", Map.of(
                "submitter", "ops", "host", "api.everbit.kr", "registryCredentialsId", "ghcr", "pullCredentialsId", "ghcr-pull",
                "urls", List.of("https://api.everbit.kr/")));

        assertThat(run.only("input").named()).containsEntry("submitter", "ops");
        assertThat(run.only("rollbackToSha").named())
                .containsOnly(Map.entry("sha", "3f9c2ab"), Map.entry("host", "api.everbit.kr"), Map.entry("registryCredentialsId", "ghcr"),
                        Map.entry("pullCredentialsId", "ghcr-pull"));
        assertThat(run.only("verifyHealth").named()).containsOnlyKeys("host", "urls");
    }

    @Test
    void theSwitchModeReachesTheRollback() {
        Map<String, Object> proxy = Map.of("switch", "proxy", "proxyUpstream", "nginx/upstream.conf", "proxyTest",
                "docker compose exec -T nginx nginx -t", "proxyPortEnv", "SERVER_PORT", "proxyPort", List.of(8080));
        PipelineHarness run = rollbackJob("previous").callVar("everbitRollback", proxy);

        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.only("rollbackToSha").named()).containsAllEntriesOf(proxy);
        assertThat(run.only("verifyHealth").named()).isEmpty();
    }

    // --- abort and timeout: rethrown, the build ends ABORTED, the description says what the VM runs

    static final String ROLLBACK_JOB = "resources/kr/everbit/deploy/rollback.Jenkinsfile";
    static final String PREVIOUS_SHORT = PipelineHarness.PREVIOUS_SHA.substring(0, 12);

    /** The step that runs in each stage, and what the description says when the build stops there. */
    static Stream<Arguments> stages() {
        return Stream.of(
                Arguments.of("everbitReleases", "Recent releases", "rollback to previous %s in Recent releases: nothing was changed on the VM"),
                Arguments.of("input", "Confirm", "rollback to previous %s in Confirm: nothing was changed on the VM"),
                Arguments.of("rollbackToSha", "Roll back", "rollback to previous %s in Roll back: the VM runs the previous release"
                        + " or the release it was leaving (the ledger's current one), unverified"),
                Arguments.of("verifyHealth", "Verify health", "rolled back to " + PREVIOUS_SHORT + ", unverified: %s in Verify health"));
    }

    static List<String> work(PipelineHarness run) {
        return run.calls(WORK).stream().map(StepCall::name).toList();
    }

    static List<String> workUpTo(String step) {
        List<String> all = List.of(WORK);
        return all.subList(0, all.indexOf(step) + 1);
    }

    @ParameterizedTest(name = "abort during {0}")
    @MethodSource("stages")
    void theAbortButtonInAnyStageEndsTheBuildAborted(String step, String stage, String description) {
        PipelineHarness run = rollbackJob("previous").abortDuring(step).callVar("everbitRollback", Map.of());

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(work(run)).as("nothing runs after the abort").isEqualTo(workUpTo(step));
        assertThat(run.stages()).last().isEqualTo(stage);
        assertThat(run.description()).isEqualTo(description.formatted("aborted"));
        assertThat(run.failure()).isInstanceOfSatisfying(FlowInterruptedException.class, e ->
                assertThat(e.getCauses()).singleElement().isEqualTo(new UserInterruption(PipelineHarness.ABORTING_USER)));
    }

    @ParameterizedTest(name = "timeout during {0}")
    @MethodSource("stages")
    void aTimeoutInAnyStageEndsTheBuildAborted(String step, String stage, String description) {
        // The job's 30 minutes run out during the step; during the verification, after the releases took most of
        // them, so that the pipeline's limit comes before the verification's own. At the question, the
        // confirmation's own 15 minutes run out first.
        PipelineHarness run = new PipelineHarness(REPO).param("SHA", "previous").takes(step, Duration.ofHours(2));
        if (step.equals("verifyHealth")) {
            run.takes("everbitReleases", Duration.ofMinutes(29));
        }
        run.run(ROLLBACK_JOB);

        assertThat(run.result()).isEqualTo("ABORTED");
        assertThat(work(run)).as("nothing runs after the timeout").isEqualTo(workUpTo(step));
        assertThat(run.stages()).last().isEqualTo(stage);
        assertThat(run.description()).isEqualTo(description.formatted("timed out"));
        assertThat(run.failure()).isInstanceOfSatisfying(FlowInterruptedException.class, e ->
                assertThat(e.getCauses()).singleElement().isInstanceOf(ExceededTimeout.class));
        assertThat(run.elapsed()).isEqualTo(step.equals("input") ? Duration.ofMinutes(15) : Duration.ofMinutes(30));
    }

    @Test
    void aVerificationThatOutlastsItsOwnTimeoutFailsTheBuildAsUnhealthy() {
        PipelineHarness run = rollbackJob("previous").takes("verifyHealth", Duration.ofHours(1))
                .callVar("everbitRollback", Map.of("timeout", 90));

        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(90 + 120));
        assertThat(run.description()).isEqualTo("rolled back to " + PREVIOUS_SHORT + ", but unhealthy");
        assertThat(run.failure()).hasMessageContaining("verifyHealth did not finish within 210 s (verifyStageTimeout)");
        assertThat(run.calls("rollbackToSha")).hasSize(1);
    }

    @Test
    void aVerifyStageTimeoutThatCannotHoldTheVerificationIsRefusedBeforeAnyStep() {
        PipelineHarness run = rollbackJob("previous").callVar("everbitRollback", Map.of("settle", 60, "verifyStageTimeout", 90));

        assertThat(run.stepNames()).containsExactly("everbitRollback", "error");
        assertThat(run.failure()).hasMessageContaining("timeout + settle = 120 s");
    }
}
