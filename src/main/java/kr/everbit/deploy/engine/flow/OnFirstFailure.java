package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;

/** What to do with a first release that fails verification, when there is nothing to roll back to. */
public enum OnFirstFailure {
    /** Leave it running, so that it can be looked at (the default). */
    KEEP,
    /** Stop its containers, so that a broken service does not answer. */
    STOP;

    public static OnFirstFailure of(String text) {
        if ("keep".equals(text)) {
            return KEEP;
        }
        if ("stop".equals(text)) {
            return STOP;
        }
        throw new InvalidInputException("--on-first-failure '" + Printable.of(text) + "' must be 'stop' or 'keep'");
    }

    public String option() {
        return name().toLowerCase();
    }
}
