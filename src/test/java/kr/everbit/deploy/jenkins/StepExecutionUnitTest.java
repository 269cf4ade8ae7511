package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.FilePath;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import kr.everbit.deploy.engine.EverbitException;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input stops a step before any process starts on the agent, with the step's and the parameter's name. */
class StepExecutionUnitTest {
    @TempDir
    Path workspace;
    private final TestListener log = new TestListener();
    private final TestLauncher launcher = new TestLauncher(log);
    private final TestCredentials credentials = new TestCredentials()
            .secretText("token", "ghp_secrettextvalue99")
            .usernamePassword("ghcr", "octocat", "ghp_tokenvalue123456")
            .usernamePassword("ghcr-pull", "octocat", "ghp_pulltokenvalue777");

    private Object run(Step step, EverbitGlobalConfiguration defaults) throws Exception {
        StepRuntime runtime = new StepRuntime(log, launcher, new FilePath(workspace.toFile()), Map.of(), credentials,
                "jenkins everbit/server#7", defaults);
        return ((EverbitExecution<?>) step.start(null)).runWith(runtime);
    }

    @Test
    void latestIsRefusedBeforeDockerRuns() {
        assertThatThrownBy(() -> run(new BuildImageStep("latest"), GlobalDefaultsUnitTest.everbit()))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("buildImage: sha: 'latest' is not a git SHA");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    void aTaggedImageIsRefusedWithTheParametersName() {
        BuildImageStep step = new BuildImageStep("abc1234");
        step.setImage("ghcr.io/everbit/server:latest");
        assertThatThrownBy(() -> run(step, GlobalDefaultsUnitTest.everbit()))
                .hasMessageStartingWith("buildImage: image: 'ghcr.io/everbit/server:latest' is not an image repository");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    void pushWithoutCredentialsSaysWhereToSetThem() {
        EverbitGlobalConfiguration defaults = GlobalDefaultsUnitTest.everbit();
        defaults.setRegistryCredentialsId(null);
        assertThatThrownBy(() -> run(new PushGhcrStep("abc1234"), defaults))
                .hasMessage("pushGhcr: credentialsId: is not set: give it to the step, or set a default in"
                        + " Manage Jenkins » System » Everbit deploy");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    void aTokenWithoutAUserIsExplainedInPushGhcrsTerms() {
        PushGhcrStep step = new PushGhcrStep("abc1234");
        step.setCredentialsId("token");
        assertThatThrownBy(() -> run(step, GlobalDefaultsUnitTest.everbit()))
                .hasMessageStartingWith("pushGhcr: credentialsId: credentials 'token' are a secret text (a token): give username with it");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    void aSecretTextWhereTheSshKeyBelongsStopsTheDeploy() {
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setSshCredentialsId("token");
        assertThatThrownBy(() -> run(step, GlobalDefaultsUnitTest.everbit()))
                .hasMessage("sshComposeUp: sshCredentialsId: credentials 'token' are a secret text where an SSH private key was expected");
        assertThat(launcher.commands).isEmpty();
        assertThat(log.text()).doesNotContain("ghp_secrettextvalue99");
    }

    @Test
    void aMissingSshCredentialIsNamed() {
        assertThatThrownBy(() -> run(new RollbackToShaStep("previous"), GlobalDefaultsUnitTest.everbit()))
                .hasMessageStartingWith("rollbackToSha: sshCredentialsId: no credentials with ID 'vm-deploy-key'");
    }

    @Test
    void rollbackTakesPreviousOrAShaOnly() {
        assertThatThrownBy(() -> run(new RollbackToShaStep("last-good"), GlobalDefaultsUnitTest.everbit()))
                .hasMessageStartingWith("rollbackToSha: sha: 'last-good' is not a git SHA");
    }

    @Test
    void aBadRetainIsTheEnginesCheckInStepTerms() {
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setRetain(1);
        assertThatThrownBy(() -> run(step, GlobalDefaultsUnitTest.everbit()))
                .hasMessage("sshComposeUp: retain: must be at least 2 (the current and the previous release)");
    }

    /** As Jenkins binds buildArgs: the Jenkinsfile's Groovy map as it is (structs does not look into a map). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static BuildImageStep buildWithArgs(Map<?, ?> groovyMap) {
        BuildImageStep step = new BuildImageStep("abc1234");
        step.setBuildArgs((Map) groovyMap);
        return step;
    }

    @Test
    void aNumberAsABuildArgumentIsNamedBeforeDockerRuns() {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("RELEASE", "abc1234");
        args.put("JAVA_VERSION", 21);
        assertThatThrownBy(() -> run(buildWithArgs(args), GlobalDefaultsUnitTest.everbit()))
                .isInstanceOf(AbortException.class)
                .hasMessage("buildImage: buildArgs: the value of JAVA_VERSION is 21, a java.lang.Integer:"
                        + " build argument values are strings, e.g. JAVA_VERSION: '21'");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    void aBuildArgumentWithoutAValueOrWithANumberAsItsNameIsNamed() {
        Map<Object, Object> noValue = new java.util.LinkedHashMap<>();
        noValue.put("JAR_VERSION", null);
        assertThatThrownBy(() -> run(buildWithArgs(noValue), GlobalDefaultsUnitTest.everbit()))
                .hasMessage("buildImage: buildArgs: JAR_VERSION has no value: give it a string, or leave it out");
        assertThatThrownBy(() -> run(buildWithArgs(Map.of(17, "x")), GlobalDefaultsUnitTest.everbit()))
                .hasMessageStartingWith("buildImage: buildArgs: the name 17 is a java.lang.Integer:");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    void aSnippetShowsTheBuildArgumentsAsText() {
        assertThat(buildWithArgs(Map.of("JAVA_VERSION", 21)).getBuildArgs()).containsExactly(Map.entry("JAVA_VERSION", "21"));
    }

    /** A SocketTimeoutException is an InterruptedIOException, but a registry that did not answer is no abort. */
    @Test
    void aTimeoutIsAFailureAndAnInterruptionIsAnInterruption() {
        assertThatThrownBy(() -> failingWith(new SocketTimeoutException("Read timed out")))
                .isInstanceOf(AbortException.class).hasMessageStartingWith("probe: no answer");
        assertThatThrownBy(() -> failingWith(new InterruptedIOException("channel read interrupted")))
                .isInstanceOf(InterruptedException.class).hasMessageStartingWith("probe: interrupted");
    }

    private Object failingWith(Throwable cause) throws Exception {
        StepRuntime runtime = new StepRuntime(log, launcher, new FilePath(workspace.toFile()), Map.of(), credentials,
                "jenkins everbit/server#7", GlobalDefaultsUnitTest.everbit());
        return new EverbitExecution<Void>(null, "probe") {
            private static final long serialVersionUID = 1L;

            @Override
            Void execute(StepRun run) {
                throw new EverbitException("no answer", cause);
            }
        }.runWith(runtime);
    }
}
