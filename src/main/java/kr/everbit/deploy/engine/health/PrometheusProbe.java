package kr.everbit.deploy.engine.health;

import java.util.Comparator;
import java.util.List;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * A metric gate: an instant query whose every sample must be at or below the limit (the standard's "5xx spike
 * after a deploy"). A query that returns nothing is "no data", decided by {@link NoDataPolicy}; a Prometheus that
 * cannot be reached or rejects the query fails: a check that could not be made never counts as a pass.
 */
public final class PrometheusProbe implements Probe {
    private final PromQuery query;
    private final HttpGet http;
    private final NoDataPolicy noData;
    private final boolean viaSsh;

    /** A query and its limit, sent from here or, {@code viaSsh}, from the VM. */
    public record Spec(PromQuery query, boolean viaSsh, NoDataPolicy noData) implements ProbeSpec {
        public Spec {
            noData = noData == null ? NoDataPolicy.of(null) : noData;
        }

        @Override
        public boolean onVm() {
            return viaSsh;
        }

        @Override
        public Probe probe(ProbeContext context) {
            if (viaSsh) {
                context.vmShell();
            }
            return new PrometheusProbe(query, viaSsh ? context.remote() : context.local(), noData, viaSsh);
        }
    }

    /** The specs of the queries a door was given; sending them from the VM needs at least one. */
    public static List<Spec> specs(List<PromQuery> queries, boolean viaSsh, NoDataPolicy noData) {
        if (viaSsh && queries.isEmpty()) {
            throw new InvalidInputException(Setting.PROMETHEUS_VIA_SSH.ref() + " needs a " + Setting.PROMETHEUS.ref()
                    + " URL " + Setting.QUERY.ref() + " PROMQL " + Setting.MAX.ref() + " VALUE");
        }
        return queries.stream().map(q -> new Spec(q, viaSsh, noData)).toList();
    }

    public PrometheusProbe(PromQuery query, HttpGet http, NoDataPolicy noData, boolean viaSsh) {
        this.query = query;
        this.http = http;
        this.noData = noData;
        this.viaSsh = viaSsh;
    }

    @Override
    public String name() {
        return "prometheus " + query.query() + " <= " + query.maxText() + (viaSsh ? " (from the VM)" : "");
    }

    @Override
    public boolean isMetric() {
        return true;
    }

    @Override
    public Observation check() {
        String q = "query '" + query.query() + "'";
        HttpAnswer answer = http.get(query.queryUri());
        if (!answer.answered()) {
            return Observation.fail("Prometheus at " + query.server() + " unreachable (" + answer.failure() + "): " + q + " not evaluated");
        }
        PromResponse response = PromResponseParser.parse(answer.body());
        if (response == null) {
            return Observation.fail("Prometheus at " + query.server() + " answered HTTP " + answer.status()
                    + " without a query result: " + q + " not evaluated");
        }
        if (!response.success()) {
            return Observation.fail("Prometheus rejected " + q + " (HTTP " + answer.status() + "): " + response.error());
        }
        if (response.noData()) {
            String text = q + " returned no data";
            return noData == NoDataPolicy.PASS ? Observation.pass(text + " ({noData} pass)")
                    : Observation.fail(text + " ({noData} fail: check the query and that Prometheus scrapes the service)");
        }
        PromSample worst = response.samples().stream().max(Comparator.comparingDouble(PromSample::value)).orElseThrow();
        String text = q + " = " + PromValues.format(worst.value(), query.max()) + worst.labelText() + " (max " + query.maxText() + ")";
        return worst.value() <= query.max() ? Observation.pass(text) : Observation.fail(text);
    }
}
