package kr.everbit.deploy.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who runs the command, for the lock holder and the ledger: user@host unless --actor says otherwise. */
final class Actor {
    private Actor() {
    }

    static String of(String given) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name") + "@" + host;
    }
}
