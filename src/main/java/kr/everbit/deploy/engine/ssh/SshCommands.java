package kr.everbit.deploy.engine.ssh;

import java.util.ArrayList;
import java.util.List;

/** The OpenSSH client command lines the engine runs, as data. */
public final class SshCommands {
    private SshCommands() {
    }

    /**
     * The remote command: a POSIX shell reading its scripts through a FIFO from a {@code cat} that reads the channel.
     * The shell reads only between scripts, so on its own it would not notice the channel's end while a script runs;
     * the {@code cat} does at once, and {@link SshSession}'s watcher ends the shell's process group when it has.
     */
    static final String REMOTE_SHELL = "exec sh -c 'exec 3<&0; d=$(mktemp -d) && mkfifo \"$d/in\" || exit 1;"
            + " cat <&3 >\"$d/in\" & EVERBIT_READER=$!; EVERBIT_FIFO_DIR=$d; export EVERBIT_READER EVERBIT_FIFO_DIR;"
            + " exec sh -s <\"$d/in\" 3<&-'";

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
        argv.addAll(List.of("-l", target.user(), "--", target.host(), REMOTE_SHELL));
        return argv;
    }
}
