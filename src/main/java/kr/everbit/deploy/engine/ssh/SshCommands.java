package kr.everbit.deploy.engine.ssh;

import java.util.ArrayList;
import java.util.List;

/** The OpenSSH client command lines the engine runs, as data. */
public final class SshCommands {
    private SshCommands() {
    }

    /** One connection running a POSIX shell that reads its scripts from the channel's stdin. */
    public static List<String> session(SshTarget target) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-T",
                "-p", String.valueOf(target.port()),
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + target.knownHostsFile(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=15",
                "-o", "ServerAliveInterval=15",
                "-o", "ServerAliveCountMax=4",
                "-o", "LogLevel=ERROR"));
        if (target.identityFile() != null) {
            argv.addAll(List.of("-i", target.identityFile(), "-o", "IdentitiesOnly=yes"));
        }
        argv.addAll(List.of("-l", target.user(), "--", target.host(), "exec sh -s"));
        return argv;
    }
}
