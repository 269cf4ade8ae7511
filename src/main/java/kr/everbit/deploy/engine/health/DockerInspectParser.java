package kr.everbit.deploy.engine.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads container states from the JSON array {@code docker inspect} prints. This format is the Docker engine's,
 * the same under compose v1 and v2, which is why the container probe uses it rather than {@code compose ps}.
 */
public final class DockerInspectParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerInspectParser() {
    }

    /** The containers, without one-off ones ({@code compose run}); throws when the text is not inspect output. */
    public static List<ContainerState> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not docker inspect output: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("not docker inspect output: expected a JSON array");
        }
        List<ContainerState> states = new ArrayList<>();
        for (JsonNode c : root) {
            JsonNode labels = c.path("Config").path("Labels");
            if ("True".equalsIgnoreCase(labels.path("com.docker.compose.oneoff").asText(""))) {
                continue;
            }
            JsonNode state = c.path("State");
            JsonNode health = state.path("Health").path("Status");
            states.add(new ContainerState(
                    c.path("Name").asText("").replaceFirst("^/", ""),
                    labels.path("com.docker.compose.service").asText(null),
                    state.path("Status").asText("unknown"),
                    state.path("Restarting").asBoolean(false),
                    state.path("ExitCode").asInt(0),
                    health.isTextual() && !health.asText().isEmpty() ? health.asText() : null,
                    c.path("RestartCount").asInt(0)));
        }
        return states;
    }
}
