package kr.everbit.deploy.engine.docker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Release;

/**
 * What to build: {@code image:sha} from a context dir and an optional Dockerfile, with build args and the URL
 * of the source repository for the OCI source label (null when unknown).
 */
public record BuildRequest(ImageRef image, Release release, String context, String dockerfile,
                           Map<String, String> buildArgs, String source) {
    private static final Pattern ARG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public BuildRequest {
        buildArgs = new LinkedHashMap<>(buildArgs == null ? Map.of() : buildArgs);
        for (String name : buildArgs.keySet()) {
            if (!ARG.matcher(name).matches()) {
                throw new InvalidInputException("{buildArg} '" + Printable.of(name) + "' is not a build argument name");
            }
        }
        if (context == null || context.isBlank()) {
            context = ".";
        }
    }

    /** Parses {@code K=V} as given on the command line. */
    public static Map.Entry<String, String> parseArg(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new InvalidInputException("{buildArg} '" + Printable.of(kv) + "' must be NAME=VALUE");
        }
        return Map.entry(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
