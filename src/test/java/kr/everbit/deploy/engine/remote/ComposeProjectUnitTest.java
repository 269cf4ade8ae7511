package kr.everbit.deploy.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComposeProjectUnitTest {
    private static final ImageRef IMAGE = ImageRef.of("ghcr.io/everbit/server");

    @ParameterizedTest
    @ValueSource(strings = {"/etc/compose.yaml", "../compose.yaml", "docker/../../x.yaml", "~/c.yaml", "a\nb.yaml", ""})
    void refusesComposeFilesOutsideTheDeployDir(String file) {
        assertThatThrownBy(() -> new ComposeProject("/srv", List.of(file), "server", IMAGE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{compose}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server;id", "$(id)", "-f", "a b", ""})
    void refusesServiceNamesComposeWouldNotAccept(String service) {
        assertThatThrownBy(() -> new ComposeProject("/srv", List.of("c.yaml"), service, IMAGE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{service}");
    }

    @Test
    void refusesControlCharactersInTheDir() {
        assertThatThrownBy(() -> new ComposeProject("/srv\n/x", List.of("c.yaml"), "server", IMAGE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{dir}");
    }
}
