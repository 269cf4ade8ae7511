package kr.everbit.deploy.cli;

import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * One {@code --prometheus URL} followed by one or more {@code --query PROMQL --max VALUE} pairs: each pair belongs
 * to the {@code --prometheus} before it (picocli starts a new group at the next {@code --prometheus}).
 */
final class PrometheusGate {
    @Option(names = "--prometheus", required = true, paramLabel = "URL",
            description = "Prometheus base URL (e.g. http://127.0.0.1:9090); the --query/--max pairs after it are sent there.")
    String url;

    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<Limit> limits;

    static final class Limit {
        @Option(names = "--query", required = true, paramLabel = "PROMQL",
                description = "Instant query; every sample must stay at or below the --max after it.")
        String query;

        @Option(names = "--max", required = true, paramLabel = "VALUE", description = "The limit for the --query before it.")
        double max;
    }
}
