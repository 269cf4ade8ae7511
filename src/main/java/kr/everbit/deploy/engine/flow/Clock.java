package kr.everbit.deploy.engine.flow;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps for the ledger: UTC, to the millisecond. */
final class Clock {
    private Clock() {
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
