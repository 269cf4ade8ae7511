package kr.everbit.deploy.engine.ssh;

import kr.everbit.deploy.engine.EverbitException;

/** Turns what the OpenSSH client printed into an error that says what failed and what to do. */
final class SshFailure {
    private SshFailure() {
    }

    static EverbitException explain(SshTarget target, String stderr) {
        String where = target.destination() + ":" + target.port();
        String said = stderr.strip().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no answer");
        String text = stderr.toLowerCase();
        if (text.contains("host key verification failed") || text.contains("identification has changed")
                || text.contains("no matching host key")) {
            return new EverbitException("the host key of " + where + " is not the one in " + target.knownHostsFile()
                    + " (" + said + "). If the VM was rebuilt, check its fingerprint out of band and update that file;"
                    + " otherwise do not connect.");
        }
        if (text.contains("permission denied")) {
            return new EverbitException("ssh authentication as '" + target.user() + "' was refused by " + where
                    + " (" + said + "): check {identity} (or the key loaded in ssh-agent) and the VM's authorized_keys");
        }
        if (text.contains("connection refused") || text.contains("timed out") || text.contains("could not resolve")
                || text.contains("no route")) {
            return new EverbitException("cannot reach " + where + " (" + said + "): check {host} and {port}");
        }
        return new EverbitException("ssh to " + where + " failed: " + said);
    }
}
