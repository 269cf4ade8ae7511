package kr.everbit.deploy.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActuatorHealthUnitTest {

    @Test
    void readsUp() {
        ActuatorHealth h = ActuatorHealth.parse("{\"status\":\"UP\",\"groups\":[\"liveness\",\"readiness\"]}");
        assertThat(h.hasStatus()).isTrue();
        assertThat(h.up()).isTrue();
        assertThat(h.notUp()).isEmpty();
    }

    @Test
    void aDownNamesTheComponentsThatAreNotUp() {
        ActuatorHealth h = ActuatorHealth.parse("""
                {"status":"DOWN","components":{
                  "db":{"status":"DOWN","details":{"error":"Connection refused"}},
                  "diskSpace":{"status":"UP"},
                  "kafka":{"status":"OUT_OF_SERVICE"}}}""");
        assertThat(h.up()).isFalse();
        assertThat(h.status()).isEqualTo("DOWN");
        assertThat(h.notUp()).containsExactly("db: DOWN", "kafka: OUT_OF_SERVICE");
    }

    @Test
    void aBodyWithoutAStatusHasNone() {
        assertThat(ActuatorHealth.parse("ok").hasStatus()).isFalse();
        assertThat(ActuatorHealth.parse("").hasStatus()).isFalse();
        assertThat(ActuatorHealth.parse("{\"healthy\":true}").hasStatus()).isFalse();
        assertThat(ActuatorHealth.parse("{\"status\":{\"code\":1}}").hasStatus()).isFalse();
    }
}
