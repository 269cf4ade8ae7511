package kr.everbit.deploy.engine.health;

import kr.everbit.deploy.engine.remote.RemoteShell;

/**
 * What probes run with: the session's shell and its scripts (null without a VM), HTTP from here (this JVM, or a
 * Jenkins step's build agent) and HTTP from the VM (null without a VM).
 *
 * @param requestSeconds how long one attempt (an HTTP request, a TCP connect) may take
 */
public record ProbeContext(RemoteShell shell, HealthScripts scripts, HttpGet local, HttpGet remote, int requestSeconds) {
    /** The shell, for a probe that runs on the VM. */
    public RemoteShell vmShell() {
        if (shell == null) {
            throw new IllegalStateException("probes on the VM need the session");
        }
        return shell;
    }
}
