package kr.everbit.deploy.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.library.PipelineHarness.StepFailure;
import org.junit.jupiter.api.Test;

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
                "host", "api.everbit.kr", "composeFiles", List.of("docker/compose.yaml", "docker/compose.prod.yaml"),
                "retain", 5, "urls", List.of("https://api.everbit.kr/"), "testCommand", "./gradlew test"));

        assertThat(run.only("sh").arg(0)).isEqualTo("./gradlew test");
        assertThat(run.only("buildImage").named())
                .containsOnlyKeys("sha", "image", "dockerfile");
        assertThat(run.only("pushGhcr").named())
                .containsOnly(Map.entry("sha", SHA), Map.entry("image", "ghcr.io/everbit/server"), Map.entry("credentialsId", "ghcr"));
        assertThat(run.only("sshComposeUp").named())
                .containsOnlyKeys("sha", "image", "host", "composeFiles", "registryCredentialsId", "retain");
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
                .containsOnly(Map.entry("sha", "previous"), Map.entry("failedChecks", true), Map.entry("host", "api.everbit.kr"));
        assertThat(run.description())
                .contains("3f9c2ab5d0e1", "answered 502", "rolled back to " + PipelineHarness.PREVIOUS_SHA.substring(0, 12))
                .doesNotContain("probe table");
        assertThat(run.failure()).hasMessageContaining("answered 502").hasMessageContaining(PipelineHarness.PREVIOUS_SHA);
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
}
