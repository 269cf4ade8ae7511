package kr.everbit.deploy.engine.flow;

import java.util.function.LongFunction;
import kr.everbit.deploy.engine.health.Observation;
import kr.everbit.deploy.engine.health.Probe;

/** A test double: what it observes is scripted as a function of the fake clock's time. */
final class ScriptedProbe implements Probe {
    private final String name;
    private final boolean metric;
    private final FakeClock clock;
    private final LongFunction<Observation> script;

    ScriptedProbe(String name, boolean metric, FakeClock clock, LongFunction<Observation> script) {
        this.name = name;
        this.metric = metric;
        this.clock = clock;
        this.script = script;
    }

    /** Fails with "starting" before {@code fromMillis}, passes with "ok" from then on. */
    static ScriptedProbe passingFrom(String name, FakeClock clock, long fromMillis) {
        return new ScriptedProbe(name, false, clock,
                t -> t >= fromMillis ? Observation.pass("ok") : Observation.fail("starting"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Observation check() {
        return script.apply(clock.elapsed());
    }

    @Override
    public boolean isMetric() {
        return metric;
    }
}
