package kr.everbit.deploy.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.library.PipelineHarness.StepCall;
import kr.everbit.deploy.library.PipelineHarness.StepFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
    void aDeclinedConfirmationRollsNothingBack() {
        PipelineHarness run = rollbackJob("3f9c2ab")
                .onStep("input", call -> {
                    throw new StepFailure("Rejected by admin");
                })
                .callVar("everbitRollback", Map.of());

        assertThat(run.calls("rollbackToSha", "verifyHealth")).isEmpty();
        assertThat(run.result()).isEqualTo("FAILURE");
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
                "submitter", "ops", "host", "api.everbit.kr", "registryCredentialsId", "ghcr", "urls", List.of("https://api.everbit.kr/")));

        assertThat(run.only("input").named()).containsEntry("submitter", "ops");
        assertThat(run.only("rollbackToSha").named())
                .containsOnly(Map.entry("sha", "3f9c2ab"), Map.entry("host", "api.everbit.kr"), Map.entry("registryCredentialsId", "ghcr"));
        assertThat(run.only("verifyHealth").named()).containsOnlyKeys("host", "urls");
    }
}
