package kr.everbit.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import kr.everbit.deploy.engine.Shell;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Quotes nasty values and asks a real /bin/sh to read them back: the value must come back unchanged, unexecuted. */
class ShellQuoteUnitTest {
    @ParameterizedTest
    @ValueSource(strings = {"plain", "with space", "it's", "$(touch /proc/x)", "`id`", "a;rm -rf /", "\"dq\"", "x\ny",
            "-n", "*", "~", "back\\slash", "'", "''", "$HOME", ""})
    void aPosixShellReadsTheQuotedValueBackAsOneWord(String value) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "set -- " + Shell.quote(value) + "; printf '%s|%s' \"$#\" \"$1\"").start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).isZero();
        assertThat(out).isEqualTo("1|" + value);
    }
}
