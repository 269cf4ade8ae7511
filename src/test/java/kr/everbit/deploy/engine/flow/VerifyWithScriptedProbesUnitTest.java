package kr.everbit.deploy.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import kr.everbit.deploy.engine.health.Observation;
import kr.everbit.deploy.engine.health.Probe;
import org.junit.jupiter.api.Test;

/** Verify's polling, timeout and settle logic, driven by scripted probes on a fake clock. */
class VerifyWithScriptedProbesUnitTest {
    private final FakeClock clock = new FakeClock();
    private final RecordingProgress progress = new RecordingProgress();
    private final Verify verify = new Verify(progress, clock);

    @Test
    void probesThatPassAtOnceAreCheckedOnce() {
        VerifyReport report = run(options(10, 1000, 0), ScriptedProbe.passingFrom("a", clock, 0),
                ScriptedProbe.passingFrom("b", clock, 0));
        assertThat(report.ok()).isTrue();
        assertThat(report.probes()).extracting(ProbeRow::name, ProbeRow::ok, ProbeRow::attempts, ProbeRow::elapsedMillis)
                .containsExactly(tuple("a", true, 1, 0L), tuple("b", true, 1, 0L));
        assertThat(clock.sleeps).isEmpty();
        assertThat(progress.lines).contains("info pass  a: ok (1 attempt, 0.0s)", "step verify 2 probes ok");
    }

    @Test
    void eachProbeIsPolledUntilItPassesAndThenLeftAlone() {
        VerifyReport report = run(options(10, 1000, 0), ScriptedProbe.passingFrom("slow", clock, 2500),
                ScriptedProbe.passingFrom("fast", clock, 0));
        assertThat(report.ok()).isTrue();
        assertThat(report.probes()).extracting(ProbeRow::name, ProbeRow::attempts, ProbeRow::elapsedMillis)
                .containsExactly(tuple("slow", 4, 3000L), tuple("fast", 1, 0L));
        assertThat(report.elapsedMillis()).isEqualTo(3000);
        assertThat(progress.lines).containsOnlyOnce("info wait  slow: starting");
    }

    @Test
    void aProbeThatNeverPassesFailsAtTheTimeoutWithALastAttemptAtTheDeadline() {
        VerifyReport report = run(options(5, 2000, 0), ScriptedProbe.passingFrom("never", clock, Long.MAX_VALUE),
                ScriptedProbe.passingFrom("fine", clock, 0));
        assertThat(report.ok()).isFalse();
        assertThat(clock.sleeps).containsExactly(2000L, 2000L, 1000L);
        assertThat(report.probes()).extracting(ProbeRow::name, ProbeRow::ok, ProbeRow::attempts, ProbeRow::elapsedMillis)
                .containsExactly(tuple("never", false, 4, 5000L), tuple("fine", true, 1, 0L));
        assertThat(report.failure()).isEqualTo("probe 'never' did not pass within 5s (last seen: starting)");
        assertThat(progress.lines).contains("step verify 2 probes failed", "warn " + report.failure());
    }

    @Test
    void theFailureCountsTheOtherProbesThatFailed() {
        VerifyReport report = run(options(1, 1000, 0), ScriptedProbe.passingFrom("x", clock, 9999),
                ScriptedProbe.passingFrom("y", clock, 9999), ScriptedProbe.passingFrom("z", clock, 9999));
        assertThat(report.failure()).endsWith("; 2 more probes failed");
    }

    @Test
    void metricProbesMustHoldForTheSettleTimeAfterTheOthersPass() {
        ScriptedProbe metric = new ScriptedProbe("5xx", true, clock, t -> Observation.pass("= 0"));
        VerifyReport report = run(options(10, 1000, 3), ScriptedProbe.passingFrom("container", clock, 2000), metric);
        assertThat(report.ok()).isTrue();
        assertThat(report.elapsedMillis()).isEqualTo(5000);
        assertThat(report.probes()).extracting(ProbeRow::name, ProbeRow::attempts, ProbeRow::elapsedMillis)
                .containsExactly(tuple("container", 3, 2000L), tuple("5xx", 6, 0L));
        assertThat(progress.lines).contains("info all probes pass; the metric probes must hold for 3s");
    }

    @Test
    void aSpikeDuringTheSettleTimeFailsAtOnce() {
        ScriptedProbe metric = new ScriptedProbe("5xx", true, clock,
                t -> t >= 3500 ? Observation.fail("= 0.4 (max 0.05)") : Observation.pass("= 0"));
        VerifyReport report = run(options(60, 1000, 30), ScriptedProbe.passingFrom("container", clock, 2000), metric);
        assertThat(report.ok()).isFalse();
        assertThat(report.elapsedMillis()).isEqualTo(4000);
        assertThat(report.failure()).isEqualTo("probe '5xx' did not hold during the 30s settle time (last seen: = 0.4 (max 0.05))");
        assertThat(report.probes()).extracting(ProbeRow::name, ProbeRow::ok).containsExactly(tuple("container", true), tuple("5xx", false));
    }

    @Test
    void aMetricThatFailsBeforeTheOthersPassIsOnlyNotReadyYet() {
        ScriptedProbe metric = new ScriptedProbe("5xx", true, clock,
                t -> t < 1500 ? Observation.fail("no data") : Observation.pass("= 0"));
        VerifyReport report = run(options(10, 1000, 2), ScriptedProbe.passingFrom("container", clock, 0), metric);
        assertThat(report.ok()).isTrue();
        assertThat(report.probes().get(1).elapsedMillis()).isEqualTo(2000);
        assertThat(report.elapsedMillis()).isEqualTo(4000);
    }

    @Test
    void withoutMetricProbesTheSettleTimeAddsNothing() {
        VerifyReport report = run(options(10, 1000, 30), ScriptedProbe.passingFrom("container", clock, 0));
        assertThat(report.ok()).isTrue();
        assertThat(report.elapsedMillis()).isZero();
    }

    @Test
    void aChangeIsSeenWithinOnePollInterval() {
        VerifyReport report = run(options(60, 250, 0), ScriptedProbe.passingFrom("app", clock, 10_001));
        assertThat(report.probes().get(0).elapsedMillis()).isBetween(10_001L, 10_001L + 250);
    }

    @Test
    void aWarningIsToldOnceAndKeptInTheRow() {
        ScriptedProbe tls = new ScriptedProbe("url", false, clock, t -> t < 1000 ? Observation.fail("HTTP 502")
                .withWarning("expires in 5 days") : Observation.pass("HTTP 200").withWarning("expires in 5 days"));
        VerifyReport report = run(options(10, 1000, 0), tls);
        assertThat(progress.lines).containsOnlyOnce("warn expires in 5 days");
        assertThat(report.probes().get(0).warning()).isEqualTo("expires in 5 days");
    }

    private VerifyReport run(VerifyOptions options, Probe... probes) {
        return verify.run(List.of(probes), options, null);
    }

    private static VerifyOptions options(int timeout, long interval, int settle) {
        return new VerifyOptions(timeout, interval, settle, false, List.of());
    }
}
