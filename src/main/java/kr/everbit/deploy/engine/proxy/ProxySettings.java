package kr.everbit.deploy.engine.proxy;

import java.util.List;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The proxy switch mode: the new release starts in a slot beside the live one, Nginx is pointed at it once it is
 * healthy (a tool-owned upstream file, {@code nginx -t}, a graceful reload; or, with {@link #flag}, a flag file that
 * Nginx reads on each request, no reload), and the release before it stays warm out
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
 * @param flag           the switch without a reload (a flag file Nginx reads on each request); null: the reload
 *                       (the upstream file, the test and reload commands)
 */
public record ProxySettings(String upstreamFile, String testCommand, String reloadCommand, String host, int bluePort,
                            int greenPort, String portEnv, int drainSeconds, int warmSeconds, ProxyFlag flag) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]{0,252}|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_./-]+");

    public ProxySettings {
        upstreamFile = upstreamFile(upstreamFile);
        testCommand = command(Setting.PROXY_TEST, testCommand);
        reloadCommand = command(Setting.PROXY_RELOAD, reloadCommand);
        host = host == null ? null : host(host);
        Setting.PROXY_PORT.check(bluePort);
        Setting.PROXY_PORT.check(greenPort);
        if (host != null && bluePort == greenPort) {
            throw new InvalidInputException(Setting.PROXY_PORT.ref() + " needs two different ports (blue's, then green's):"
                    + " with " + Setting.PROXY_HOST.ref() + " both slots share one address");
        }
        portEnv = portEnv == null ? null : portEnv(portEnv);
        Setting.DRAIN.check(drainSeconds);
        Setting.WARM.check(warmSeconds);
        if (flag != null && host == null) {
            // Nginx resolves the names in a static upstream block once, when it loads its configuration: a slot's
            // compose service name resolves only while its container runs, so the blocks need fixed addresses.
            throw new InvalidInputException(Setting.PROXY_SWAP.ref() + " flag needs " + Setting.PROXY_HOST.ref()
                    + " and two ports (" + Setting.PROXY_PORT.ref() + " twice): Nginx's static upstream block of each slot"
                    + " must name an address that exists while the slot is stopped, which a compose service name does not");
        }
    }

    /** The switch by a reload, as before the flag existed. */
    public ProxySettings(String upstreamFile, String testCommand, String reloadCommand, String host, int bluePort,
                         int greenPort, String portEnv, int drainSeconds, int warmSeconds) {
        this(upstreamFile, testCommand, reloadCommand, host, bluePort, greenPort, portEnv, drainSeconds, warmSeconds, null);
    }

    /** These settings with the switch by {@code flag} (null: by a reload). */
    public ProxySettings withFlag(ProxyFlag flag) {
        return new ProxySettings(upstreamFile, testCommand, reloadCommand, host, bluePort, greenPort, portEnv, drainSeconds,
                warmSeconds, flag);
    }

    /** The swap a door asked for ({@link Setting#PROXY_SWAP}): null for a reload, else the flag of {@code file} and {@code confirmUrl}. */
    public static ProxyFlag swap(String swap, String file, String confirmUrl) {
        if ("reload".equals(Setting.PROXY_SWAP.choice(swap))) {
            if (confirmUrl != null) {
                throw new InvalidInputException(Setting.PROXY_CONFIRM_URL.ref() + " is for " + Setting.PROXY_SWAP.ref()
                        + " flag: a reload is confirmed by Nginx's workers, not by a request");
            }
            return null;
        }
        return new ProxyFlag(file, confirmUrl);
    }

    /** As the constructor, with the slots' ports as a door takes them: none (the default), one for both, or blue's and green's. */
    public static ProxySettings of(String upstreamFile, String testCommand, String reloadCommand, String host,
            List<Integer> ports, String portEnv, int drainSeconds, int warmSeconds) {
        List<Integer> given = ports(ports);
        return new ProxySettings(upstreamFile, testCommand, reloadCommand, host, given.get(0), given.get(given.size() - 1),
                portEnv, drainSeconds, warmSeconds);
    }

    /** The slots' ports, each checked: the default when none is given; one is both slots', two are blue's and green's. */
    public static List<Integer> ports(List<Integer> ports) {
        if (ports == null || ports.isEmpty()) {
            return List.of(Setting.PROXY_PORT.defaultInt());
        }
        if (ports.size() > 2) {
            throw new InvalidInputException(Setting.PROXY_PORT.ref() + " takes one port (both slots) or two (blue's, then"
                    + " green's), not " + ports.size());
        }
        ports.forEach(Setting.PROXY_PORT::check);
        return List.copyOf(ports);
    }

    public static String upstreamFile(String file) {
        return file(Setting.PROXY_UPSTREAM, file);
    }

    /** A file the tool owns on the VM, as {@code setting} names it. */
    static String file(Setting setting, String file) {
        if (file == null || !FILE.matcher(file).matches() || file.endsWith("/") || List.of(file.split("/")).contains("..")) {
            throw new InvalidInputException(setting.ref() + " '" + Printable.of(file)
                    + "' must be a file path on the VM (letters, digits, '_', '.', '-', '/'; no '..')");
        }
        return file;
    }

    public static String host(String host) {
        if (!HOST.matcher(host).matches()) {
            throw new InvalidInputException(Setting.PROXY_HOST.ref() + " '" + Printable.of(host) + "' is not a host name or an IP address");
        }
        return host;
    }

    public static String portEnv(String name) {
        if (!ENV.matcher(name).matches()) {
            throw new InvalidInputException(Setting.PROXY_PORT_ENV.ref() + " '" + Printable.of(name) + "' is not an environment variable name");
        }
        return name;
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

    /** A command run on the VM through {@code sh -c}: one line, not blank. */
    public static String command(Setting setting, String value) {
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
