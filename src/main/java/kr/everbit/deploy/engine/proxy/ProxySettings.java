package kr.everbit.deploy.engine.proxy;

import java.util.regex.Pattern;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The proxy switch mode: the new release starts in a slot beside the live one, Nginx is pointed at it once it is
 * healthy (a tool-owned upstream file, {@code nginx -t}, a graceful reload), and the release before it stays warm out
 * of rotation for {@code warmSeconds} (never less than the drain). The defaults and ranges are the settings'
 * ({@link Setting#SWITCH} to {@link Setting#WARM}); the rules between them live here, so that each door refuses the
 * same values.
 *
 * @param upstreamFile   the file Nginx includes inside an {@code upstream} block, on the VM: relative to the deploy
 *                       dir, or absolute
 * @param testCommand    the VM's shell command that checks Nginx's configuration ({@code nginx -t})
 * @param reloadCommand  the VM's shell command that reloads Nginx gracefully ({@code nginx -s reload})
 * @param host           the address Nginx reaches the slots at; null: each slot's compose service name (the compose
 *                       network layout)
 * @param bluePort       the port of slot blue
 * @param greenPort      the port of slot green (the same as blue's on a compose network, another on the host network)
 * @param portEnv        the environment variable that tells the app its port (host network); null: none is set
 * @param drainSeconds   how long a release out of rotation keeps running at least, for the requests in flight
 * @param warmSeconds    how long the release before stays running out of rotation, for an instant rollback
 */
public record ProxySettings(String upstreamFile, String testCommand, String reloadCommand, String host, int bluePort,
                            int greenPort, String portEnv, int drainSeconds, int warmSeconds) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_./-]+");

    public ProxySettings {
        if (upstreamFile == null || !FILE.matcher(upstreamFile).matches() || upstreamFile.endsWith("/")
                || java.util.List.of(upstreamFile.split("/")).contains("..")) {
            throw new InvalidInputException(Setting.PROXY_UPSTREAM.ref() + " '" + Printable.of(upstreamFile)
                    + "' must be a file path on the VM (letters, digits, '_', '.', '-', '/'; no '..')");
        }
        testCommand = command(Setting.PROXY_TEST, testCommand);
        reloadCommand = command(Setting.PROXY_RELOAD, reloadCommand);
        if (host != null && !HOST.matcher(host).matches()) {
            throw new InvalidInputException(Setting.PROXY_HOST.ref() + " '" + Printable.of(host) + "' is not a host name or an IP address");
        }
        Setting.PROXY_PORT.check(bluePort);
        Setting.PROXY_PORT.check(greenPort);
        if (host != null && bluePort == greenPort) {
            throw new InvalidInputException(Setting.PROXY_PORT.ref() + ": with " + Setting.PROXY_HOST.ref()
                    + " both slots share one address, so they need two different ports (blue's, then green's)");
        }
        if (portEnv != null && !ENV.matcher(portEnv).matches()) {
            throw new InvalidInputException(Setting.PROXY_PORT_ENV.ref() + " '" + Printable.of(portEnv) + "' is not an environment variable name");
        }
        Setting.DRAIN.check(drainSeconds);
        Setting.WARM.check(warmSeconds);
    }

    /** The defaults of the compose network layout: slots reached by service name on port 8080. */
    public static ProxySettings defaults() {
        int port = Setting.PROXY_PORT.defaultInt();
        return new ProxySettings(Setting.PROXY_UPSTREAM.defaultText(), Setting.PROXY_TEST.defaultText(),
                Setting.PROXY_RELOAD.defaultText(), null, port, port, null, Setting.DRAIN.defaultInt(), Setting.WARM.defaultInt());
    }

    /** How long a release that leaves rotation keeps running: the warm window, at least the drain. */
    public int keepSeconds(boolean warm) {
        return warm ? Math.max(drainSeconds, warmSeconds) : drainSeconds;
    }

    private static String command(Setting setting, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(setting.ref() + " must be a shell command run on the VM");
        }
        for (char c : value.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw new InvalidInputException(setting.ref() + " '" + Printable.of(value) + "' contains a control character");
            }
        }
        return value;
    }
}
