package kr.everbit.deploy.engine.proxy;

import java.util.regex.Pattern;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Limits;
import kr.everbit.deploy.engine.Printable;

/**
 * The proxy switch mode: the new release starts in a slot beside the live one, Nginx is pointed at it once it is
 * healthy (a tool-owned upstream file, {@code nginx -t}, a graceful reload), and the release before it stays warm out
 * of rotation for {@code warmSeconds} (never less than the drain). Every default and range of the mode lives here, so
 * that each door refuses the same values.
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
    public static final String DEFAULT_UPSTREAM_FILE = ".everbit/nginx/upstream.conf";
    public static final String DEFAULT_TEST_COMMAND = "nginx -t";
    public static final String DEFAULT_RELOAD_COMMAND = "nginx -s reload";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_DRAIN_SECONDS = 10;
    /** Ten minutes: long enough to notice a bad release, short enough that a second JVM's memory is not held for long. */
    public static final int DEFAULT_WARM_SECONDS = 600;
    public static final int MAX_WARM_SECONDS = 86_400;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_./-]+");

    public ProxySettings {
        if (upstreamFile == null || !FILE.matcher(upstreamFile).matches() || upstreamFile.endsWith("/")
                || java.util.List.of(upstreamFile.split("/")).contains("..")) {
            throw new InvalidInputException("--proxy-upstream '" + Printable.of(upstreamFile)
                    + "' must be a file path on the VM (letters, digits, '_', '.', '-', '/'; no '..')");
        }
        testCommand = command("--proxy-test", testCommand);
        reloadCommand = command("--proxy-reload", reloadCommand);
        if (host != null && !HOST.matcher(host).matches()) {
            throw new InvalidInputException("--proxy-host '" + Printable.of(host) + "' is not a host name or an IP address");
        }
        Limits.port("--proxy-port", bluePort);
        Limits.port("--proxy-port", greenPort);
        if (host != null && bluePort == greenPort) {
            throw new InvalidInputException("--proxy-port: with --proxy-host both slots share one address, so they need"
                    + " two different ports (e.g. --proxy-port 18081 --proxy-port 18082)");
        }
        if (portEnv != null && !ENV.matcher(portEnv).matches()) {
            throw new InvalidInputException("--proxy-port-env '" + Printable.of(portEnv) + "' is not an environment variable name");
        }
        if (drainSeconds < 0 || drainSeconds > Limits.MAX_WAIT_SECONDS) {
            throw new InvalidInputException("--drain " + drainSeconds + " must be 0 to " + Limits.MAX_WAIT_SECONDS + " seconds");
        }
        if (warmSeconds < 0 || warmSeconds > MAX_WARM_SECONDS) {
            throw new InvalidInputException("--warm " + warmSeconds + " must be 0 to " + MAX_WARM_SECONDS + " seconds");
        }
    }

    /** The defaults of the compose network layout: slots reached by service name on port 8080. */
    public static ProxySettings defaults() {
        return new ProxySettings(DEFAULT_UPSTREAM_FILE, DEFAULT_TEST_COMMAND, DEFAULT_RELOAD_COMMAND, null, DEFAULT_PORT,
                DEFAULT_PORT, null, DEFAULT_DRAIN_SECONDS, DEFAULT_WARM_SECONDS);
    }

    /** How long a release that leaves rotation keeps running: the warm window, at least the drain. */
    public int keepSeconds(boolean warm) {
        return warm ? Math.max(drainSeconds, warmSeconds) : drainSeconds;
    }

    private static String command(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(option + " must be a shell command run on the VM");
        }
        for (char c : value.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw new InvalidInputException(option + " '" + Printable.of(value) + "' contains a control character");
            }
        }
        return value;
    }
}
