package kr.everbit.deploy.engine.ssh;

import kr.everbit.deploy.engine.Secret;

/**
 * How to reach the VM: the target, and optionally a private key handed over as text (a Jenkins credential),
 * which is loaded into a private ssh-agent instead of being written to disk.
 */
public record Connection(SshTarget target, Secret privateKey) {
    public static Connection of(SshTarget target) {
        return new Connection(target, null);
    }
}
