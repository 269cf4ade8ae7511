package kr.everbit.deploy.engine.flow;

import java.time.Duration;
import java.util.List;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.health.Probe;

/**
 * Proves a release healthy: polls every probe until each passes or the timeout ends, then holds the metric
 * probes for the settle time (a spike right after start is what the standard fears). On failure, or when asked,
 * it adds the post-deploy report read over the session.
 */
public final class Verify {
    private final Progress progress;
    private final PollClock clock;

    public Verify(Progress progress) {
        this(progress, PollClock.system());
    }

    Verify(Progress progress, PollClock clock) {
        this.progress = progress;
        this.clock = clock;
    }

    /** @param vm the session, for the post-deploy report and masking; null when every probe runs from here */
    public VerifyReport run(List<Probe> probes, VerifyOptions options, Vm vm) {
        VerifyReport report = runMasked(probes, options, vm == null ? new Masker() : vm.masker());
        if (vm != null && (!report.ok() || options.report())) {
            report = report.withReport(new PostDeployReports(vm).read(options.logServices()));
        }
        return report;
    }

    /** As {@link #run(List, VerifyOptions, Vm)} without the post-deploy report (a swarm's: its state is the report). */
    public VerifyReport runMasked(List<Probe> probes, VerifyOptions options, Masker masker) {
        long start = clock.millis();
        VerifyReport report = poll(probes.stream().map(p -> new ProbeTrack(p, masker)).toList(), options, start);
        progress.stepDone("verify " + probes.size() + (probes.size() == 1 ? " probe" : " probes"),
                Duration.ofMillis(report.elapsedMillis()), report.ok());
        if (!report.ok()) {
            progress.warn(report.failure());
        }
        return report;
    }

    private VerifyReport poll(List<ProbeTrack> tracks, VerifyOptions options, long start) {
        long deadline = options.timeoutSeconds() * 1000L;
        long settle = options.settleSeconds() * 1000L;
        Long settleFrom = null;
        while (true) {
            long round = clock.millis() - start;
            for (ProbeTrack t : tracks) {
                if (settleFrom == null ? t.due() : t.probe().isMetric()) {
                    t.attempt(clock.millis() - start, progress);
                }
            }
            long now = clock.millis() - start;
            boolean allPass = tracks.stream().allMatch(ProbeTrack::passing);
            if (settleFrom != null && !allPass) {
                return finish(tracks, now, "did not hold during the " + options.settleSeconds() + "s settle time");
            }
            if (settleFrom == null && allPass) {
                settleFrom = now;
                if (settle > 0 && tracks.stream().anyMatch(t -> t.probe().isMetric())) {
                    progress.info("all probes pass; the metric probes must hold for " + options.settleSeconds() + "s");
                } else {
                    return finish(tracks, now, null);
                }
            }
            if (settleFrom != null && now - settleFrom >= settle) {
                return finish(tracks, now, null);
            }
            if (settleFrom == null && now >= deadline) {
                return finish(tracks, now, "did not pass within " + options.timeoutSeconds() + "s");
            }
            // One last attempt exactly at the deadline (or at the end of the settle time) rather than after it.
            long next = Math.min(round + options.intervalMillis(), settleFrom == null ? deadline : settleFrom + settle);
            clock.sleep(Math.max(0, next - now));
        }
    }

    private VerifyReport finish(List<ProbeTrack> tracks, long elapsed, String why) {
        List<ProbeRow> rows = tracks.stream().map(ProbeTrack::row).toList();
        if (why == null) {
            return new VerifyReport(true, rows, elapsed, null, null);
        }
        ProbeRow failed = rows.stream().filter(r -> !r.ok()).findFirst().orElseThrow();
        long failing = rows.stream().filter(r -> !r.ok()).count();
        String failure = "probe '" + failed.name() + "' " + why + " (last seen: " + failed.observed() + ")"
                + (failing > 1 ? "; " + (failing - 1) + " more probe" + (failing > 2 ? "s" : "") + " failed" : "");
        return new VerifyReport(false, rows, elapsed, failure, null);
    }
}
