package kr.everbit.deploy.engine.flow;

import java.util.ArrayList;
import java.util.List;

/** Time that moves only when verify sleeps, so that polling is tested exactly and without waiting. */
final class FakeClock implements PollClock {
    private long now = 1_000_000;
    private final long start = now;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long millis() {
        return now;
    }

    @Override
    public void sleep(long millis) {
        sleeps.add(millis);
        now += millis;
    }

    /** Milliseconds since the clock was made: what the scripted probes' times refer to. */
    long elapsed() {
        return now - start;
    }
}
