package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.settings.Setting;
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
    public static final int LOG_LINES = 200;

    public VerifyOptions {
        Setting.TIMEOUT.check(timeoutSeconds);
        Setting.INTERVAL.check(intervalMillis);
        Setting.SETTLE.check(settleSeconds);
        logServices = List.copyOf(logServices);
        logServices.forEach(s -> ServiceNames.require(Setting.LOGS.ref(), s));
    }

    public static VerifyOptions defaults() {
        return new VerifyOptions(Setting.TIMEOUT.defaultInt(), Setting.INTERVAL.defaultLong(), Setting.SETTLE.defaultInt(), false,
                List.of());
    }
}
