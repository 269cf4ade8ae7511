package kr.everbit.deploy.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerInspectParserUnitTest {

    @Test
    void readsARunningHealthyContainerAndSkipsOneOffRuns() {
        List<ContainerState> states = DockerInspectParser.parse(Fixtures.text("inspect-server-and-oneoff.json"));
        assertThat(states).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("app_server_1");
            assertThat(s.service()).isEqualTo("server");
            assertThat(s.health()).isEqualTo("healthy");
            assertThat(s.healthy()).isTrue();
            assertThat(s.describe()).isEqualTo("running, healthy");
        });
    }

    @Test
    void aRestartingContainerIsNotHealthyAndSaysHowOften() {
        ContainerState s = DockerInspectParser.parse(Fixtures.text("inspect-restarting.json")).get(0);
        assertThat(s.restarting()).isTrue();
        assertThat(s.healthy()).isFalse();
        assertThat(s.describe()).isEqualTo("restarting (exit 1, 3 restarts)");
    }

    @Test
    void withoutAHealthcheckRunningIsEnough() {
        ContainerState s = state("running", false, 0, null);
        assertThat(s.healthy()).isTrue();
        assertThat(s.describe()).isEqualTo("running");
    }

    @Test
    void unhealthyStartingAndExitedDoNotPass() {
        assertThat(state("running", false, 0, "unhealthy").healthy()).isFalse();
        assertThat(state("running", false, 0, "starting").healthy()).isFalse();
        assertThat(state("running", false, 0, "starting").describe()).isEqualTo("running, health: starting");
        assertThat(state("exited", false, 137, null).healthy()).isFalse();
        assertThat(state("exited", false, 137, null).describe()).isEqualTo("exited (exit 137)");
    }

    @Test
    void refusesTextThatIsNotInspectOutput() {
        assertThatThrownBy(() -> DockerInspectParser.parse("Error: No such object: x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not docker inspect output");
        assertThatThrownBy(() -> DockerInspectParser.parse("{}")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ContainerState state(String status, boolean restarting, int exit, String health) {
        String h = health == null ? "" : ",\"Health\":{\"Status\":\"" + health + "\"}";
        return DockerInspectParser.parse("[{\"Name\":\"/c\",\"State\":{\"Status\":\"" + status + "\",\"Restarting\":"
                + restarting + ",\"ExitCode\":" + exit + h + "}}]").get(0);
    }
}
