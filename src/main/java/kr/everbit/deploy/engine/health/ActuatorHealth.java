package kr.everbit.deploy.engine.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} of a health body such as Spring Boot actuator's {@code {"status":"UP","components":{...}}},
 * with the components that are not UP, so that a DOWN names its cause (db, kafka).
 *
 * @param status the top-level status, or null when the body is not a JSON object with a text {@code status}
 */
public record ActuatorHealth(String status, List<String> notUp) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ActuatorHealth parse(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.isObject() || !root.path("status").isTextual()) {
            return new ActuatorHealth(null, List.of());
        }
        List<String> notUp = new ArrayList<>();
        for (Map.Entry<String, JsonNode> c : root.path("components").properties()) {
            String status = c.getValue().path("status").asText("");
            if (!status.isEmpty() && !status.equals("UP")) {
                notUp.add(c.getKey() + ": " + status);
            }
        }
        return new ActuatorHealth(root.get("status").asText(), List.copyOf(notUp));
    }

    public boolean hasStatus() {
        return status != null;
    }

    public boolean up() {
        return "UP".equals(status);
    }
}
