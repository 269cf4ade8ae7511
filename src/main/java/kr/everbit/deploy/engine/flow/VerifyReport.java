package kr.everbit.deploy.engine.flow;

import java.util.List;
import java.util.Optional;

/**
 * The result of a verify.
 *
 * @param failure one sentence on the first probe that failed (its name and what it saw), null when ok
 * @param report  the post-deploy report, when asked for or on failure with a session; else null
 */
public record VerifyReport(boolean ok, List<ProbeRow> probes, long elapsedMillis, String failure, PostDeployReport report) {
    public VerifyReport {
        probes = List.copyOf(probes);
    }

    public Optional<ProbeRow> firstFailed() {
        return probes.stream().filter(p -> !p.ok()).findFirst();
    }

    VerifyReport withReport(PostDeployReport postDeploy) {
        return new VerifyReport(ok, probes, elapsedMillis, failure, postDeploy);
    }
}
