package kr.everbit.deploy.engine.health;

/**
 * One health check of a release, tried again and again by {@code Verify} until it passes or time runs out. A
 * probe does one attempt per {@link #check()} and never sleeps or retries itself.
 */
public interface Probe {
    /** What is checked, as the report's first column ("container server", "url https://api.everbit.kr/"). */
    String name();

    /** One attempt. Failures to reach what is checked are a failed observation, not an exception. */
    Observation check();

    /** Metric probes must keep passing during the settle time, since a spike right after start is the risk. */
    default boolean isMetric() {
        return false;
    }
}
