package kr.everbit.deploy.engine.remote;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.Shell;

/**
 * A piece of POSIX shell to run on the VM, as data. Secrets it embeds (a registry token) are listed so that a dry
 * run and every log show the script masked; the script itself travels only over the SSH channel's stdin.
 *
 * @param label what the script does, for progress lines
 * @param body  the shell text
 * @param secrets the secrets embedded in the body
 * @param quiet true when its output is data for the engine rather than lines for the operator
 * @param limitSeconds how long the script may run before the session gives up on the VM and closes the connection
 */
public record RemoteScript(String label, String body, List<Secret> secrets, boolean quiet, int limitSeconds) {
    /** Enough for any script that only reads or writes a few files or asks dockerd one thing. */
    public static final int DEFAULT_LIMIT_SECONDS = 120;

    public RemoteScript {
        secrets = List.copyOf(secrets);
        if (limitSeconds < 1) {
            throw new IllegalArgumentException("a remote script's time limit must be positive: " + limitSeconds);
        }
    }

    public static RemoteScript of(String label, String body) {
        return new RemoteScript(label, body, List.of(), false, DEFAULT_LIMIT_SECONDS);
    }

    public static RemoteScript quiet(String label, String body) {
        return new RemoteScript(label, body, List.of(), true, DEFAULT_LIMIT_SECONDS);
    }

    public RemoteScript withSecret(Secret secret) {
        List<Secret> more = new ArrayList<>(secrets);
        more.add(secret);
        return new RemoteScript(label, body, more, quiet, limitSeconds);
    }

    /** The same script with another time limit (a pull, a health wait). */
    public RemoteScript withLimit(int seconds) {
        return new RemoteScript(label, body, secrets, quiet, seconds);
    }

    /** The body with every embedded secret replaced by the mask, for dry runs and logs. */
    public String masked() {
        String text = body;
        for (Secret s : secrets) {
            text = text.replace(Shell.quote(s.reveal()), Secret.MASK).replace(s.reveal(), Secret.MASK);
        }
        return text;
    }
}
