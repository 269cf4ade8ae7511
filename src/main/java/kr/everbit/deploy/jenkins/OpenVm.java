package kr.everbit.deploy.jenkins;

import java.io.IOException;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.ssh.SshTarget;

/**
 * A VM step's one SSH session to the VM, opened from the agent with the credential's key loaded into a private
 * ssh-agent (through stdin, never written), or with the agent of an enclosing {@code sshagent {}} block (see
 * {@link VmLogin}), and the host key checked against the known_hosts given either way; closing it ends the
 * session (releasing the VM's lock) and removes the temporary known_hosts file.
 */
final class OpenVm implements AutoCloseable {
    private final Vm vm;
    private final KnownHostsFile knownHosts;

    private OpenVm(Vm vm, KnownHostsFile knownHosts) {
        this.vm = vm;
        this.knownHosts = knownHosts;
    }

    /** Checks everything it can (project, key, host keys) before it connects. */
    static OpenVm open(StepRun run, VmSettings settings) throws IOException, InterruptedException {
        ComposeProject project = new ComposeProject(settings.dir(), settings.composeFiles(), settings.service(),
                ImageRef.of(settings.image()));
        return reach(run, settings, (connection, file) -> new OpenVm(Vm.connect(run.executor(), connection, project,
                run.progress(), run.masker()), file));
    }

    /** What a session is made of, once the login and the host keys are checked and the known_hosts file written. */
    @FunctionalInterface
    interface Opener<T> {
        T open(Connection connection, KnownHostsFile knownHosts);
    }

    /**
     * Checks the login and the host keys, writes the known_hosts file and opens the session with {@code opener} (a
     * VM's, or a swarm manager's: the same SSH rules); the file is removed when that fails.
     */
    static <T> T reach(StepRun run, VmSettings settings, Opener<T> opener) throws IOException, InterruptedException {
        VmLogin login = VmLogin.of(run, settings);
        String hostKeys = settings.knownHosts() != null
                ? KnownHostsFile.checked("knownHosts", settings.knownHosts())
                : KnownHostsFile.checked("knownHostsCredentialsId",
                        run.credentials().knownHosts("knownHostsCredentialsId", settings.knownHostsCredentialsId()));
        SshTarget target = new SshTarget(settings.host(), settings.port(), login.user(), null, KnownHostsFile.PLACEHOLDER);
        run.progress().info(login.source());
        KnownHostsFile file = KnownHostsFile.write(run.runtime().workspace(), run.runtime().env(), hostKeys);
        try {
            SshTarget written = new SshTarget(target.host(), target.port(), target.user(), null, file.path());
            return opener.open(new Connection(written, login.key()), file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    Vm vm() {
        return vm;
    }

    /** Puts the proxy switch mode on the VM, as the CLI does; null: restart mode. */
    void useProxy(ProxySettings proxy) {
        if (proxy != null) {
            vm.useProxy(proxy);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            vm.close();
        } finally {
            knownHosts.close();
        }
    }
}
