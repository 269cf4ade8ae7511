package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceUrlUnitTest {

    @Test
    void aPlainHttpsRepositoryBecomesTheSourceLabel() {
        assertThat(SourceUrl.from(Map.of("GIT_URL", "https://github.com/everbit/server.git")))
                .isEqualTo("https://github.com/everbit/server");
    }

    @Test
    void aUrlCarryingCredentialsNeverReachesAnImageLabel() {
        assertThat(SourceUrl.from(Map.of("GIT_URL", "https://x-access-token:ghp_abc123@github.com/everbit/server.git"))).isNull();
        assertThat(SourceUrl.from(Map.of("GIT_URL", "https://github.com/everbit/server.git?token=ghp_abc123"))).isNull();
    }

    @Test
    void otherSchemesAndNoUrlGiveNoLabel() {
        assertThat(SourceUrl.from(Map.of("GIT_URL", "git@github.com:everbit/server.git"))).isNull();
        assertThat(SourceUrl.from(Map.of())).isNull();
    }
}
