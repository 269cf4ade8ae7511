package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.RegistryLogin;
import org.junit.jupiter.api.Test;

class StepCredentialsUnitTest {
    /** Key-shaped text, not a key: real keys are generated at test time (the sandbox's deploy key). */
    private static final String PEM = "fake key header\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nfake key footer\n";
    private final Masker masker = new Masker();
    private final TestCredentials store = new TestCredentials()
            .sshKey("vm-key", "ubuntu", PEM, null)
            .sshKey("locked-key", "ubuntu", PEM, "hunter2hunter2")
            .usernamePassword("ghcr", "octocat", "ghp_tokenvalue123456")
            .secretText("token", "ghp_secrettextvalue99")
            .secretFile("hosts-file", "[api.everbit.kr]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n");
    private final StepCredentials credentials = new StepCredentials(store, masker);

    @Test
    void aMissingIdIsNamedWithItsParameter() {
        assertThatThrownBy(() -> credentials.sshKey("sshCredentialsId", "nope"))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("sshCredentialsId: no credentials with ID 'nope'");
    }

    @Test
    void aSecretTextWhereAKeyWasExpectedSaysBoth() {
        assertThatThrownBy(() -> credentials.sshKey("sshCredentialsId", "token"))
                .hasMessage("sshCredentialsId: credentials 'token' are a secret text where an SSH private key was expected");
        assertThat(store.used).isEmpty();
    }

    @Test
    void aKeyWhereARegistryLoginWasExpectedSaysBoth() {
        assertThatThrownBy(() -> credentials.registryLogin("credentialsId", "vm-key", "username", null))
                .hasMessage("credentialsId: credentials 'vm-key' are an SSH private key where a username with password"
                        + " (or a secret text with a username) was expected");
    }

    @Test
    void aLoginWhereKnownHostsWereExpectedSaysBoth() {
        assertThatThrownBy(() -> credentials.knownHosts("knownHostsCredentialsId", "ghcr"))
                .hasMessage("knownHostsCredentialsId: credentials 'ghcr' are a username with password where a secret"
                        + " file or a secret text holding known_hosts lines was expected");
    }

    @Test
    void theKeyAndItsUserAreHandedOutMaskedAndTheUseRecorded() throws AbortException {
        StepCredentials.SshKey key = credentials.sshKey("sshCredentialsId", "vm-key");
        assertThat(key.username()).isEqualTo("ubuntu");
        assertThat(key.key().reveal()).isEqualTo(PEM);
        assertThat(masker.mask("leaked b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ")).doesNotContain("b3BlbnNzaC1");
        assertThat(store.used).containsExactly("vm-key");
    }

    @Test
    void aKeyWithAPassphraseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> credentials.sshKey("sshCredentialsId", "locked-key"))
                .hasMessageContaining("has a passphrase")
                .hasMessageContaining("store the key without a passphrase");
    }

    @Test
    void aUsernameWithPasswordIsARegistryLogin() throws AbortException {
        RegistryLogin login = credentials.registryLogin("credentialsId", "ghcr", "username", null);
        assertThat(login.user()).isEqualTo("octocat");
        assertThat(login.token().reveal()).isEqualTo("ghp_tokenvalue123456");
        assertThat(masker.mask("token ghp_tokenvalue123456")).isEqualTo("token ****");
    }

    @Test
    void aGivenUsernameWinsOverTheStoredOne() throws AbortException {
        assertThat(credentials.registryLogin("credentialsId", "ghcr", "username", "bot").user()).isEqualTo("bot");
    }

    @Test
    void aSecretTextTokenNeedsAUsername() throws AbortException {
        assertThatThrownBy(() -> credentials.registryLogin("registryCredentialsId", "token", "registryUsername", null))
                .hasMessageStartingWith("registryCredentialsId: credentials 'token' are a secret text (a token): give registryUsername with it");
        RegistryLogin login = credentials.registryLogin("registryCredentialsId", "token", "registryUsername", "octocat");
        assertThat(login.user()).isEqualTo("octocat");
        assertThat(login.token().reveal()).isEqualTo("ghp_secrettextvalue99");
    }

    @Test
    void knownHostsComeFromASecretFileOrASecretText() throws AbortException {
        assertThat(credentials.knownHosts("knownHostsCredentialsId", "hosts-file")).startsWith("[api.everbit.kr]:22 ssh-ed25519");
        assertThat(credentials.knownHosts("knownHostsCredentialsId", "token")).isEqualTo("ghp_secrettextvalue99");
    }
}
