package kr.everbit.deploy.engine.health;

import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;

/** What a query that returns no series means: {@code fail} (the default: no evidence is no pass) or {@code pass}. */
public enum NoDataPolicy {
    FAIL, PASS;

    public static NoDataPolicy of(String text) {
        if ("fail".equals(text)) {
            return FAIL;
        }
        if ("pass".equals(text)) {
            return PASS;
        }
        throw new InvalidInputException("--no-data '" + Printable.of(text) + "' must be 'fail' or 'pass'");
    }
}
