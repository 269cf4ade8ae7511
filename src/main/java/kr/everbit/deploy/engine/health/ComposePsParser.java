package kr.everbit.deploy.engine.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code compose ps} in the three shapes it comes in: v2 before 2.21 prints one JSON array, v2 from 2.21
 * one JSON object per line, v1 a text table. Lines before the data (compose warnings) are skipped.
 */
public final class ComposePsParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ComposePsParser() {
    }

    public static List<ComposePsRow> parse(List<String> lines) {
        if (lines.stream().allMatch(String::isBlank)) {
            return List.of();
        }
        for (String line : lines) {
            String s = line.strip();
            if (s.startsWith("[")) {
                return fromJsonArray(s);
            }
            if (s.startsWith("{")) {
                return fromJsonLines(lines);
            }
        }
        return ComposePsTable.parse(lines);
    }

    private static List<ComposePsRow> fromJsonArray(String text) {
        List<ComposePsRow> rows = new ArrayList<>();
        read(text).forEach(c -> rows.add(row(c)));
        return rows;
    }

    private static List<ComposePsRow> fromJsonLines(List<String> lines) {
        List<ComposePsRow> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.strip().startsWith("{")) {
                rows.add(row(read(line)));
            }
        }
        return rows;
    }

    private static ComposePsRow row(JsonNode c) {
        String state = c.path("State").asText("unknown");
        String health = c.path("Health").asText("");
        // Early v2 releases wrote the health into the state: "running(healthy)".
        int paren = state.indexOf('(');
        if (paren > 0 && health.isEmpty()) {
            health = state.substring(paren + 1).replace(")", "").strip();
            state = state.substring(0, paren).strip();
        }
        String status = c.path("Status").asText("");
        if (status.isEmpty()) {
            status = "running".equals(state) ? "Up" + (health.isEmpty() ? "" : " (" + health + ")")
                    : state + " (exit " + c.path("ExitCode").asInt(0) + ")";
        }
        return new ComposePsRow(c.path("Name").asText(""), c.path("Service").asText(null), state,
                health.isEmpty() ? null : health, status);
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("compose ps printed JSON that cannot be read: " + e.getOriginalMessage());
        }
    }
}
