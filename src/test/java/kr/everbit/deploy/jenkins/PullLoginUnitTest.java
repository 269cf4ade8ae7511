package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import java.nio.file.Path;
import java.util.Map;
import kr.everbit.deploy.engine.RegistryLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the VM logs in with to pull: its own read-only credential (the step's pullCredentialsId, else the global
 * page's), so that the push token never reaches it; the registry credentials only when no pull credential is set.
 */
class PullLoginUnitTest {
    private static final String PUSH_TOKEN = "fake-push-token-value";
    private static final String PULL_TOKEN = "fake-pull-token-value";
    @TempDir
    Path workspace;
    private final TestListener log = new TestListener();
    private final TestCredentials credentials = new TestCredentials()
            .usernamePassword("ghcr", "octocat", PUSH_TOKEN)
            .usernamePassword("ghcr-pull", "octoreader", PULL_TOKEN)
            .secretText("pull-text", PULL_TOKEN);

    private RegistryLogin vmLogin(EverbitGlobalConfiguration defaults, ReleaseStep step) throws Exception {
        StepRuntime runtime = new StepRuntime(log, new TestLauncher(log), new FilePath(workspace.toFile()), Map.of(),
                credentials, "jenkins everbit/server#9", defaults);
        return step.registryLogin(new StepRun(runtime));
    }

    private static EverbitGlobalConfiguration pushOnly() {
        EverbitGlobalConfiguration c = GlobalDefaultsUnitTest.everbit();
        c.setRegistryCredentialsId("ghcr");
        c.setRegistryUsername(null);
        return c;
    }

    @Test
    void theGlobalPullCredentialKeepsThePushTokenOffTheVm() throws Exception {
        EverbitGlobalConfiguration c = pushOnly();
        c.setPullCredentialsId("ghcr-pull");
        RegistryLogin login = vmLogin(c, new SshComposeUpStep("3f9c2ab"));
        assertThat(login.user()).isEqualTo("octoreader");
        assertThat(login.token().reveal()).isEqualTo(PULL_TOKEN);
        assertThat(vmLogin(c, new RollbackToShaStep("previous")).token().reveal()).isEqualTo(PULL_TOKEN);
    }

    @Test
    void theStepsPullCredentialWinsAndASecretTextTakesTheRegistryUser() throws Exception {
        EverbitGlobalConfiguration c = pushOnly();
        c.setRegistryUsername("octocat");
        SshComposeUpStep step = new SshComposeUpStep("3f9c2ab");
        step.setPullCredentialsId("pull-text");
        RegistryLogin login = vmLogin(c, step);
        assertThat(login.user()).isEqualTo("octocat");
        assertThat(login.token().reveal()).isEqualTo(PULL_TOKEN);
    }

    @Test
    void withoutAPullCredentialTheRegistryCredentialsServeAsBefore() throws Exception {
        assertThat(vmLogin(pushOnly(), new SshComposeUpStep("3f9c2ab")).token().reveal()).isEqualTo(PUSH_TOKEN);
    }
}
