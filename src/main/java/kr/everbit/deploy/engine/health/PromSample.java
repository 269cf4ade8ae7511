package kr.everbit.deploy.engine.health;

import java.util.Map;
import java.util.stream.Collectors;

/** One value of a query result with the labels of its series (none for a scalar). */
public record PromSample(Map<String, String> labels, double value) {
    public PromSample {
        labels = Map.copyOf(labels);
    }

    /** {@code {job="app",code="500"}}, or empty for a series without labels. */
    public String labelText() {
        if (labels.isEmpty()) {
            return "";
        }
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
