package kr.everbit.deploy.engine.remote;

import java.util.regex.Pattern;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * When a started release counts as started, beyond its compose healthcheck: a container without one must keep running
 * with the same start time and restart count for {@code settleSeconds} (a crash loop never does), and in proxy mode a
 * new slot must accept a TCP connection at its own address and, with {@code readyPath}, answer 2xx there, before
 * Nginx sends to it.
 *
 * @param readyPath     an HTTP path the new slot must answer 2xx on (Spring Boot: {@code /actuator/health}); null: the
 *                      TCP connect alone
 * @param settleSeconds how long a container without healthcheck must keep running, unrestarted
 */
public record StartRules(String readyPath, int settleSeconds) {
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,1000}");

    public StartRules {
        readyPath = readyPath == null ? null : readyPath(readyPath);
        Setting.START_SETTLE.check(settleSeconds);
    }

    public static StartRules defaults() {
        return new StartRules(null, Setting.START_SETTLE.defaultInt());
    }

    public static String readyPath(String path) {
        if (!PATH.matcher(path).matches()) {
            throw new InvalidInputException(Setting.READY_PATH.ref() + " '" + Printable.of(path)
                    + "' must be an HTTP path starting with '/' (e.g. /actuator/health)");
        }
        return path;
    }
}
