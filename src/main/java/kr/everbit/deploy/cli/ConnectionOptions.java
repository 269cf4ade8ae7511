package kr.everbit.deploy.cli;

import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.ssh.SshTarget;
import picocli.CommandLine.Option;

/** CONN: how to reach the VM and where the deploy dir is. */
final class ConnectionOptions {
    @Option(names = "--host", required = true, description = "The VM (Everbit: api.everbit.kr).")
    String host;

    @Option(names = "--port", defaultValue = "22", description = "SSH port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--user", required = true, description = "SSH user (Everbit: ubuntu).")
    String user;

    @Option(names = "--identity", paramLabel = "KEYFILE",
            description = "Private key file; without it the key comes from ssh-agent (SSH_AUTH_SOCK).")
    String identity;

    @Option(names = "--known-hosts", required = true, paramLabel = "FILE",
            description = "known_hosts file holding the VM's host key; the key is always checked.")
    String knownHosts;

    @Option(names = "--dir", required = true, paramLabel = "REMOTE_DEPLOY_DIR",
            description = "The deploy directory on the VM (compose files are relative to it).")
    String dir;

    Connection connection() {
        String identityFile = identity == null ? null : LocalFiles.requireReadable("--identity", identity).toString();
        String knownHostsFile = LocalFiles.requireReadable("--known-hosts", knownHosts).toString();
        return Connection.of(new SshTarget(host, port, user, identityFile, knownHostsFile));
    }
}
