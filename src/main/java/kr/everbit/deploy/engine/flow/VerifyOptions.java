package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.health.ServiceNames;

/**
 * How long and how often to poll, how long metric probes must hold afterwards, and what the post-deploy report
 * holds.
 *
 * @param timeoutSeconds  how long every probe has to pass (the settle time comes after it)
 * @param intervalMillis  time between the starts of two polling rounds
 * @param settleSeconds   how long the metric probes must keep passing once all probes pass
 * @param report          print the post-deploy report also when everything passes
 * @param logServices     services whose last 200 log lines the report shows
 */
public record VerifyOptions(int timeoutSeconds, long intervalMillis, int settleSeconds, boolean report,
                            List<String> logServices) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    public static final long DEFAULT_INTERVAL_MILLIS = 1000;
    public static final int LOG_LINES = 200;

    public VerifyOptions {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new InvalidInputException("--timeout must be 1 to 3600 seconds");
        }
        if (intervalMillis < 50 || intervalMillis > 60_000) {
            throw new InvalidInputException("--interval must be 50 to 60000 milliseconds");
        }
        if (settleSeconds < 0 || settleSeconds > 3600) {
            throw new InvalidInputException("--settle must be 0 to 3600 seconds");
        }
        logServices = List.copyOf(logServices);
        logServices.forEach(s -> ServiceNames.require("--logs", s));
    }

    public static VerifyOptions defaults() {
        return new VerifyOptions(DEFAULT_TIMEOUT_SECONDS, DEFAULT_INTERVAL_MILLIS, 0, false, List.of());
    }
}
