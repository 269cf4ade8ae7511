package kr.everbit.deploy.engine.health;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;

/**
 * An instant query and its limit: {@code --prometheus URL --query PROMQL --max VALUE}.
 *
 * @param server the Prometheus base URL (http://127.0.0.1:9090, or with a path prefix)
 */
public record PromQuery(URI server, String query, double max) {
    public PromQuery {
        ProbeUrls.require("{prometheus}", server);
        if (server.getRawQuery() != null || server.getRawFragment() != null) {
            // The query path is appended to this base: a ?query or #fragment would swallow it.
            throw new InvalidInputException("{prometheus} '" + Printable.of(server.toString())
                    + "' must be the server's base URL (e.g. http://127.0.0.1:9090), without ?query or #fragment");
        }
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("{query} must be a PromQL expression (e.g. the 5xx ratio over the last minute)");
        }
        if (Double.isNaN(max) || Double.isInfinite(max)) {
            throw new InvalidInputException("{max} must be a finite number");
        }
    }

    /** {@code SERVER/api/v1/query?query=...}, the query URL-encoded. */
    public URI queryUri() {
        String base = server.toString().replaceAll("/+$", "");
        return URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    /** The limit as written: {@code 0.05}, {@code 3} rather than {@code 3.0}. */
    public String maxText() {
        return PromValues.format(max);
    }
}
