package kr.everbit.deploy.engine.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.health.ComposePsRow;

/**
 * The verify report as one JSON object: {@code ok}, {@code elapsedMillis}, {@code failure}, a {@code probes} list
 * (name, ok, attempts, elapsedMillis, observed, warning) and, when read, {@code report} (containers, logs).
 */
public final class VerifyReportJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VerifyReportJson() {
    }

    public static String render(VerifyReport report) {
        return write(node(report));
    }

    public static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the verify report cannot be written as JSON", e);
        }
    }

    /** An empty object, for a door that wraps reports in its own result. */
    public static ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    public static ObjectNode node(VerifyReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ok", report.ok());
        root.put("elapsedMillis", report.elapsedMillis());
        if (report.failure() != null) {
            root.put("failure", report.failure());
        }
        ArrayNode probes = root.putArray("probes");
        report.probes().forEach(p -> probes.add(JSON.valueToTree(p)));
        PostDeployReport post = report.report();
        if (post != null) {
            ObjectNode r = root.putObject("report");
            if (post.containers() == null) {
                r.set("psLines", JSON.valueToTree(post.psLines()));
            } else {
                ArrayNode containers = r.putArray("containers");
                for (ComposePsRow c : post.containers()) {
                    containers.add(JSON.valueToTree(c));
                }
            }
            ObjectNode logs = r.putObject("logs");
            for (Map.Entry<String, List<String>> l : post.logs().entrySet()) {
                logs.set(l.getKey(), JSON.valueToTree(l.getValue()));
            }
        }
        return root;
    }
}
