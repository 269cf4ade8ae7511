package kr.everbit.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefUnitTest {
    @Test
    void tagsTheRepositoryWithTheRelease() {
        assertThat(ImageRef.of("ghcr.io/everbit/server").tagged(Release.of("abc1234"))).isEqualTo("ghcr.io/everbit/server:abc1234");
    }

    @Test
    void findsTheRegistryHost() {
        assertThat(ImageRef.of("ghcr.io/everbit/server").registry()).isEqualTo("ghcr.io");
        assertThat(ImageRef.of("127.0.0.1:5000/app").registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ImageRef.of("localhost/app").registry()).isEqualTo("localhost");
        assertThat(ImageRef.of("everbit/server").registry()).isEqualTo("docker.io");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghcr.io/everbit/server:latest", "ghcr.io/Everbit/server", "server;id", "a b",
            "ghcr.io/everbit/server@sha256:00", "-oProxyCommand=x", "", "ghcr.io//server", "$(id)"})
    void refusesWhatIsNotARepositoryWithoutTag(String image) {
        assertThatThrownBy(() -> ImageRef.of(image)).isInstanceOf(InvalidInputException.class);
    }
}
