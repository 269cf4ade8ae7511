package kr.everbit.deploy.engine.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the JSON of {@code /api/v1/query}: {@code {"status":"success","data":{"resultType":"vector","result":[
 * {"metric":{...},"value":[ts,"0.5"]}]}}}, scalar ({@code "result":[ts,"1"]}), matrix (each series' values), or
 * {@code {"status":"error","errorType":"bad_data","error":"..."}}.
 */
public final class PromResponseParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromResponseParser() {
    }

    /** Returns null when the text is not a Prometheus API answer at all (an HTML error page, a proxy's text). */
    public static PromResponse parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject() || !root.path("status").isTextual()) {
            return null;
        }
        if (!"success".equals(root.get("status").asText())) {
            return PromResponse.failed(root.path("errorType").asText("error") + ": " + root.path("error").asText("(no message)"));
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        List<PromSample> samples = new ArrayList<>();
        switch (type) {
            case "scalar" -> add(samples, Map.of(), result);
            case "vector" -> result.forEach(series -> add(samples, labels(series), series.path("value")));
            case "matrix" -> result.forEach(series -> series.path("values").forEach(v -> add(samples, labels(series), v)));
            default -> {
                return PromResponse.failed("unsupported result type '" + type + "': the query must return numbers");
            }
        }
        return new PromResponse(true, type, samples, null);
    }

    /** Prometheus writes values as strings, with {@code NaN}, {@code +Inf} and {@code -Inf} for the special ones. */
    static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static void add(List<PromSample> samples, Map<String, String> labels, JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2) {
            return;
        }
        double v;
        try {
            v = value(pair.get(1).asText());
        } catch (NumberFormatException e) {
            return;
        }
        if (!Double.isNaN(v)) {
            samples.add(new PromSample(labels, v));
        }
    }

    private static Map<String, String> labels(JsonNode series) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : series.path("metric").properties()) {
            labels.put(f.getKey(), f.getValue().asText());
        }
        return labels;
    }
}
