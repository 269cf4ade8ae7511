package kr.everbit.deploy.cli;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.health.ContainerProbe;
import kr.everbit.deploy.engine.health.HttpProbe;
import kr.everbit.deploy.engine.health.NoDataPolicy;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.ProbeSpec;
import kr.everbit.deploy.engine.health.ProbeUrls;
import kr.everbit.deploy.engine.health.PromQuery;
import kr.everbit.deploy.engine.health.PrometheusProbe;
import kr.everbit.deploy.engine.health.RemoteHttpProbe;
import kr.everbit.deploy.engine.health.TcpProbe;
import kr.everbit.deploy.engine.settings.Setting;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** PROBES and the verify options, shared by {@code verify} and {@code deploy}. */
final class ProbeOptions {
    @Option(names = "--url", paramLabel = "URL", description = "HTTP(S) from here (Nginx 443); passes on 2xx/3xx; TLS verified.")
    List<String> urls = new ArrayList<>();

    @Option(names = "--remote-url", paramLabel = "URL",
            description = "HTTP fetched on the VM (actuator on 127.0.0.1); passes on 2xx and, for JSON with a status, UP.")
    List<String> remoteUrls = new ArrayList<>();

    @Option(names = "--container", paramLabel = "SERVICE", split = ",",
            description = "A compose service whose containers must run, not restart, and be healthy where they have a healthcheck.")
    List<String> containers = new ArrayList<>();

    @Option(names = "--tcp", paramLabel = "HOST:PORT", split = ",",
            description = "A port that must accept a TCP connection from the VM (Kafka 127.0.0.1:9092, the DB).")
    List<String> tcp = new ArrayList<>();

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

    @Option(names = "--logs", paramLabel = "SERVICE", split = ",", description = "Show the last 200 log lines of this service in the report.")
    List<String> logs = new ArrayList<>();

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    /** The probes in the README's order: public side, internal side, containers, ports, metrics. */
    ProbePlan plan() {
        List<ProbeSpec> specs = new ArrayList<>();
        urls.forEach(u -> specs.add(new HttpProbe.Spec(ProbeUrls.parse(Setting.URL.ref(), u))));
        remoteUrls.forEach(u -> specs.add(new RemoteHttpProbe.Spec(ProbeUrls.parse(Setting.REMOTE_URL.ref(), u))));
        containers.forEach(c -> specs.add(new ContainerProbe.Spec(c)));
        tcp.forEach(t -> specs.add(TcpProbe.Spec.parse(t)));
        List<PromQuery> queries = new ArrayList<>();
        for (PrometheusGate gate : prometheus) {
            for (PrometheusGate.Limit limit : gate.limits) {
                queries.add(new PromQuery(ProbeUrls.parse(Setting.PROMETHEUS.ref(), gate.url), limit.query, limit.max));
            }
        }
        specs.addAll(PrometheusProbe.specs(queries, prometheusViaSsh, NoDataPolicy.of(noData)));
        return new ProbePlan(specs, caFile == null ? null : LocalFiles.requireReadable(Setting.CA_FILE.ref(), caFile),
                Setting.httpTimeoutFor(timeout));
    }

    VerifyOptions verifyOptions() {
        return new VerifyOptions(timeout, interval, settle, report, logs);
    }

    /** The session is needed for probes on the VM and for the post-deploy report. */
    boolean needsVm(ProbePlan plan) {
        return plan.needsVm() || report || !logs.isEmpty();
    }
}
