package kr.everbit.deploy.engine.ssh;

import java.util.regex.Pattern;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * Where and as whom to connect. The host key is always checked against {@code knownHostsFile} (a path on the
 * machine that runs ssh): there is deliberately no way to accept an unknown key.
 *
 * @param identityFile a private key file, or null to use the ssh-agent named by {@code SSH_AUTH_SOCK}
 */
public record SshTarget(String host, int port, String user, String identityFile, String knownHostsFile) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[?[0-9A-Fa-f:.]+\\]?");
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    public SshTarget {
        checkHost(host);
        Setting.PORT.check(port);
        checkUser(user);
        if (knownHostsFile == null || knownHostsFile.isBlank()) {
            throw new InvalidInputException("{knownHosts} is required: the VM's host key is always checked"
                    + " (get it once with: ssh-keyscan -p PORT HOST > known_hosts, then compare the fingerprint)");
        }
        requireSshPath("{knownHosts}", knownHostsFile);
        if (identityFile != null) {
            requireSshPath("{identity}", identityFile);
        }
    }

    /** The rule for {@link Setting#HOST} alone (a form checks one field). */
    public static String checkHost(String host) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new InvalidInputException(Setting.HOST.ref() + " '" + Printable.of(host) + "' is not a host name or address");
        }
        return host;
    }

    /** The rule for {@link Setting#USER} alone. */
    public static String checkUser(String user) {
        if (user == null || !USER.matcher(user).matches()) {
            throw new InvalidInputException(Setting.USER.ref() + " '" + Printable.of(user) + "' is not a user name");
        }
        return user;
    }

    public String destination() {
        return user + "@" + host;
    }

    private static void requireSshPath(String option, String path) {
        // ssh splits -o values on white space and reads quotes itself; such paths are refused rather than guessed.
        if (path.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '"' || c == '\'')) {
            throw new InvalidInputException(option + " '" + Printable.of(path) + "': the path must not contain spaces or quotes");
        }
    }
}
