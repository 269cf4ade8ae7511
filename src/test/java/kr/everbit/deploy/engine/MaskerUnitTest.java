package kr.everbit.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskerUnitTest {
    @Test
    void masksEverySecretInALine() {
        Masker masker = new Masker();
        masker.add(Secret.of("ghp_token123"));
        assertThat(masker.mask("login with ghp_token123 failed: ghp_token123")).isEqualTo("login with **** failed: ****");
    }

    @Test
    void masksEachLineOfAPrivateKeyOnItsOwn() {
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
        Masker masker = new Masker();
        masker.add(Secret.of(key));
        assertThat(masker.mask("ssh-add: b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ")).isEqualTo("ssh-add: ****");
        assertThat(masker.mask("a line that is no secret")).isEqualTo("a line that is no secret");
    }

    @Test
    void aSecretPrintsMasked() {
        assertThat(String.valueOf(Secret.of("hunter2hunter2"))).isEqualTo("****");
    }
}
