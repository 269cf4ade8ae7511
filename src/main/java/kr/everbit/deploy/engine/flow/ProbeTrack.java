package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.health.Observation;
import kr.everbit.deploy.engine.health.Probe;

/** What verify knows of one probe while polling: attempts, the last observation, since when it passes. */
final class ProbeTrack {
    private final Probe probe;
    private final Masker masker;
    private int attempts;
    private Observation last;
    private Long passingSince;
    private long lastAttemptAt;
    private String warned;

    ProbeTrack(Probe probe, Masker masker) {
        this.probe = probe;
        this.masker = masker;
    }

    /** Runs one attempt at {@code now} (millis since verify began) and tells the operator what changed. */
    void attempt(long now, Progress progress) {
        Observation seen = probe.check();
        seen = new Observation(seen.ok(), masker.mask(seen.observed()), masker.mask(seen.warning()));
        attempts++;
        lastAttemptAt = now;
        boolean changed = last == null || last.ok() != seen.ok() || !last.observed().equals(seen.observed());
        if (seen.ok() && passingSince == null) {
            passingSince = now;
            progress.info("pass  " + probe.name() + ": " + seen.observed() + " (" + attempts + (attempts == 1 ? " attempt, " : " attempts, ")
                    + seconds(now) + ")");
        } else if (!seen.ok()) {
            passingSince = null;
            if (changed) {
                progress.info("wait  " + probe.name() + ": " + seen.observed());
            }
        }
        if (seen.warning() != null && !seen.warning().equals(warned)) {
            warned = seen.warning();
            progress.warn(seen.warning());
        }
        last = seen;
    }

    Probe probe() {
        return probe;
    }

    /** Whether the last attempt passed. */
    boolean passing() {
        return last != null && last.ok();
    }

    /** Metric probes are checked every round; the others only until they pass. */
    boolean due() {
        return probe.isMetric() || !passing();
    }

    ProbeRow row() {
        boolean ok = passing();
        return new ProbeRow(probe.name(), ok, attempts, ok ? passingSince : lastAttemptAt,
                last == null ? "not checked" : last.observed(), warned);
    }

    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
