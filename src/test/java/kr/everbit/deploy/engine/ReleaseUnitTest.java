package kr.everbit.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseUnitTest {
    @ParameterizedTest
    @ValueSource(strings = {"abc1234", "0123456789abcdef0123456789abcdef01234567"})
    void acceptsSevenToFortyLowercaseHex(String sha) {
        assertThat(Release.of(sha).sha()).isEqualTo(sha);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "abc123", "ABC1234", "abc1234 ", " abc1234", "abc1234;rm -rf /", "$(id)abcd",
            "0123456789abcdef0123456789abcdef012345678", "abc1234\n", "g123456"})
    void refusesAnythingElseAsInvalidInput(String sha) {
        assertThatThrownBy(() -> Release.of(sha))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a git SHA")
                .satisfies(e -> assertThat(((EverbitException) e).exitCode()).isEqualTo(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc1234\u0000", "abc1234\u001b[31m"})
    void errorMessagesDoNotEchoControlCharacters(String sha) {
        assertThatThrownBy(() -> Release.of(sha)).message().doesNotContain("\u0000", "\u001b");
    }
}
