package kr.everbit.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskerUnitTest {
    @Test
    void masksEverySecretInALine() {
        Masker masker = new Masker();
        masker.add(Secret.of("ghp_token123"));
        assertThat(masker.mask("login with ghp_token123 failed: ghp_token123")).isEqualTo("login with **** failed: ****");
    }

    @Test
    void masksEachLineOfAPrivateKeyOnItsOwn(@TempDir Path tmp) throws Exception {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp.resolve("key").toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        String key = Files.readString(tmp.resolve("key"));
        String bodyLine = key.lines().filter(l -> l.length() > 40).findFirst().orElseThrow();
        Masker masker = new Masker();
        masker.add(Secret.of(key));
        assertThat(masker.mask("ssh-add: " + bodyLine)).isEqualTo("ssh-add: ****");
        assertThat(masker.mask("a line that is no secret")).isEqualTo("a line that is no secret");
    }

    @Test
    void aSecretPrintsMasked() {
        assertThat(String.valueOf(Secret.of("hunter2hunter2"))).isEqualTo("****");
    }
}
