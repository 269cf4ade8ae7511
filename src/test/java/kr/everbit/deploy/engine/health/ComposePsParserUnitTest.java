package kr.everbit.deploy.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComposePsParserUnitTest {

    @Test
    void readsTheComposeV1TextTableAfterItsWarnings() {
        List<ComposePsRow> rows = ComposePsParser.parse(Fixtures.lines("compose-v1-ps.txt"));
        assertThat(rows).extracting(ComposePsRow::name, ComposePsRow::state, ComposePsRow::health, ComposePsRow::status)
                .containsExactly(
                        tuple("app_server_1", "running", "healthy", "Up (healthy)"),
                        tuple("app_db_1", "running", null, "Up"),
                        tuple("app_worker_1", "exited", null, "Exit 1"),
                        tuple("app_kafka_1", "restarting", null, "Restarting"),
                        tuple("app_nginx_1", "running", "starting", "Up (health: starting)"));
        assertThat(rows).allSatisfy(r -> assertThat(r.service()).isNull());
    }

    @Test
    void readsAV1TableOfOneRowWithoutPortsOrSpacesInTheState() {
        List<String> lines = List.of(
                "    Name              Command          State   Ports",
                "------------------------------------------------",
                "app_server_1   /bin/sh -c httpd -f   Exit 0       ");
        assertThat(ComposePsParser.parse(lines)).singleElement()
                .extracting(ComposePsRow::name, ComposePsRow::state, ComposePsRow::status)
                .containsExactly("app_server_1", "exited", "Exit 0");
    }

    @Test
    void anEmptyV1TableHasNoRows() {
        assertThat(ComposePsParser.parse(List.of("Name   Command   State   Ports", "------------------------------"))).isEmpty();
    }

    @Test
    void readsTheJsonArrayOfComposeV2Before221() {
        List<ComposePsRow> rows = ComposePsParser.parse(Fixtures.lines("compose-v2-ps-array.txt"));
        assertThat(rows).extracting(ComposePsRow::name, ComposePsRow::service, ComposePsRow::state, ComposePsRow::health,
                ComposePsRow::status).containsExactly(
                        tuple("app-server-1", "server", "running", "healthy", "Up (healthy)"),
                        tuple("app-kafka-1", "kafka", "restarting", null, "restarting (exit 1)"),
                        tuple("app-db-1", "db", "exited", null, "exited (exit 137)"));
    }

    @Test
    void readsTheJsonLinesOfComposeV2From221() {
        List<ComposePsRow> rows = ComposePsParser.parse(Fixtures.lines("compose-v2-ps-lines.txt"));
        assertThat(rows).extracting(ComposePsRow::service, ComposePsRow::state, ComposePsRow::health, ComposePsRow::status)
                .containsExactly(
                        tuple("server", "running", "healthy", "Up 2 minutes (healthy)"),
                        tuple("nginx", "running", "starting", "Up 5 seconds (health: starting)"),
                        tuple("worker", "exited", null, "Exited (1) 50 seconds ago"));
    }

    @Test
    void readsTheHealthThatEarlyV2WroteIntoTheState() {
        List<ComposePsRow> rows = ComposePsParser.parse(List.of(
                "[{\"Name\":\"app-server-1\",\"Service\":\"server\",\"State\":\"running(healthy)\",\"ExitCode\":0}]"));
        assertThat(rows).singleElement().extracting(ComposePsRow::state, ComposePsRow::health)
                .containsExactly("running", "healthy");
    }

    @Test
    void anEmptyV2ArrayOrNoOutputHasNoRows() {
        assertThat(ComposePsParser.parse(List.of("[]"))).isEmpty();
        assertThat(ComposePsParser.parse(List.of(""))).isEmpty();
    }

    @Test
    void refusesOutputThatIsNeitherJsonNorATable() {
        assertThatThrownBy(() -> ComposePsParser.parse(List.of("ERROR: Couldn't connect to Docker daemon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Couldn't connect");
    }
}
