package kr.everbit.deploy.cli;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.health.NoDataPolicy;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.ProbeUrls;
import kr.everbit.deploy.engine.health.PromQuery;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** PROBES and the verify options, shared by {@code verify} and {@code deploy}. */
final class ProbeOptions {
    @Option(names = "--url", paramLabel = "URL", description = "HTTP(S) from here (Nginx 443); passes on 2xx/3xx; TLS verified.")
    List<String> urls = new ArrayList<>();

    @Option(names = "--remote-url", paramLabel = "URL",
            description = "HTTP fetched on the VM (actuator on 127.0.0.1); passes on 2xx and, for JSON with a status, UP.")
    List<String> remoteUrls = new ArrayList<>();

    @Option(names = "--container", paramLabel = "SERVICE",
            description = "A compose service whose containers must run, not restart, and be healthy where they have a healthcheck.")
    List<String> containers = new ArrayList<>();

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<PrometheusGate> prometheus = new ArrayList<>();

    @Option(names = "--prometheus-via-ssh", description = "Send the Prometheus queries from the VM (for a Prometheus listening only there).")
    boolean prometheusViaSsh;

    @Option(names = "--no-data", defaultValue = "fail", paramLabel = "fail|pass",
            description = "What a query returning no series means (default: ${DEFAULT-VALUE}).")
    String noData;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "Trust only these CAs for HTTPS from here (--url, --prometheus), as curl --cacert does.")
    String caFile;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long every probe has to pass (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--interval", defaultValue = "1000", paramLabel = "MILLIS",
            description = "Time between polling rounds (default: ${DEFAULT-VALUE}).")
    long interval;

    @Option(names = "--settle", defaultValue = "0", paramLabel = "SECONDS",
            description = "After all probes pass, the Prometheus probes must keep passing this long (default: ${DEFAULT-VALUE}).")
    int settle;

    @Option(names = "--report", description = "Print the post-deploy report (compose ps, --logs) also when everything passes.")
    boolean report;

    @Option(names = "--logs", paramLabel = "SERVICE", description = "Show the last 200 log lines of this service in the report.")
    List<String> logs = new ArrayList<>();

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    ProbePlan plan() {
        List<PromQuery> queries = new ArrayList<>();
        for (PrometheusGate gate : prometheus) {
            for (PrometheusGate.Limit limit : gate.limits) {
                queries.add(new PromQuery(ProbeUrls.parse("--prometheus", gate.url), limit.query, limit.max));
            }
        }
        return new ProbePlan(urls.stream().map(u -> ProbeUrls.parse("--url", u)).toList(),
                remoteUrls.stream().map(u -> ProbeUrls.parse("--remote-url", u)).toList(), containers, queries,
                prometheusViaSsh, NoDataPolicy.of(noData), caFile == null ? null : LocalFiles.requireReadable("--ca-file", caFile),
                Math.max(1, Math.min(10, timeout)));
    }

    VerifyOptions verifyOptions() {
        return new VerifyOptions(timeout, interval, settle, report, logs);
    }

    /** The session is needed for probes on the VM and for the post-deploy report. */
    boolean needsVm(ProbePlan plan) {
        return plan.needsVm() || report || !logs.isEmpty();
    }
}
