package kr.everbit.deploy.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromResponseParserUnitTest {

    @Test
    void readsEverySampleOfAVectorWithItsLabels() {
        PromResponse r = PromResponseParser.parse("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"job":"app","code":"500"},"value":[1771030923.123,"0.25"]},
                  {"metric":{"job":"app","code":"502"},"value":[1771030923.123,"0.01"]}]}}
                """);
        assertThat(r.success()).isTrue();
        assertThat(r.resultType()).isEqualTo("vector");
        assertThat(r.samples()).extracting(PromSample::value).containsExactly(0.25, 0.01);
        assertThat(r.samples().get(0).labelText()).isEqualTo("{code=\"500\",job=\"app\"}");
    }

    @Test
    void readsAScalarAsOneSampleWithoutLabels() {
        PromResponse r = PromResponseParser.parse("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1771030923.1,\"3\"]}}");
        assertThat(r.samples()).singleElement().satisfies(s -> {
            assertThat(s.value()).isEqualTo(3.0);
            assertThat(s.labelText()).isEmpty();
        });
    }

    @Test
    void anEmptyVectorIsNoData() {
        PromResponse r = PromResponseParser.parse("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(r.success()).isTrue();
        assertThat(r.noData()).isTrue();
    }

    @Test
    void nanValuesCarryNoMeasurementAndCountAsNoData() {
        PromResponse r = PromResponseParser.parse("""
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}""");
        assertThat(r.noData()).isTrue();
    }

    @Test
    void infinityIsAValueAboveAnyLimit() {
        PromResponse r = PromResponseParser.parse("""
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"+Inf"]}]}}""");
        assertThat(r.samples()).singleElement().extracting(PromSample::value).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aMatrixGivesEveryValueOfEverySeries() {
        PromResponse r = PromResponseParser.parse("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"job":"app"},"values":[[1,"0.1"],[2,"0.7"]]}]}}""");
        assertThat(r.samples()).extracting(PromSample::value).containsExactly(0.1, 0.7);
    }

    @Test
    void anErrorKeepsItsTypeAndMessage() {
        PromResponse r = PromResponseParser.parse("""
                {"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected <EOF>"}""");
        assertThat(r.success()).isFalse();
        assertThat(r.error()).isEqualTo("bad_data: 1:5: parse error: unexpected <EOF>");
    }

    @Test
    void aStringResultIsRefusedBecauseItCannotBeCompared() {
        PromResponse r = PromResponseParser.parse("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}");
        assertThat(r.success()).isFalse();
        assertThat(r.error()).contains("unsupported result type 'string'");
    }

    @Test
    void textThatIsNotAnApiAnswerIsNull() {
        assertThat(PromResponseParser.parse("<html>502 Bad Gateway</html>")).isNull();
        assertThat(PromResponseParser.parse("")).isNull();
        assertThat(PromResponseParser.parse("[1,2]")).isNull();
    }
}
