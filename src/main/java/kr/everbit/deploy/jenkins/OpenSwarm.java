package kr.everbit.deploy.jenkins;

import java.io.IOException;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.swarm.SwarmManager;
import kr.everbit.deploy.engine.swarm.SwarmStack;

/**
 * A step's one SSH session to a swarm manager (target swarm), opened as a VM's is (see {@link OpenVm}); the engine's
 * swarm work runs over it, as the CLI's does. Closing it releases the stack's lock when the step holds it and removes
 * the temporary known_hosts file.
 */
final class OpenSwarm implements AutoCloseable {
    private final SwarmManager manager;
    private final KnownHostsFile knownHosts;

    private OpenSwarm(SwarmManager manager, KnownHostsFile knownHosts) {
        this.manager = manager;
        this.knownHosts = knownHosts;
    }

    /** Checks the stack (dir, files, service, image, name), the key and the host keys before it connects. */
    static OpenSwarm open(StepRun run, VmSettings settings) throws IOException, InterruptedException {
        SwarmStack stack = new SwarmStack(settings.dir(), settings.composeFiles(), settings.service(),
                ImageRef.of(settings.image()), settings.stack());
        return OpenVm.reach(run, settings, (connection, file) -> new OpenSwarm(SwarmManager.connect(run.executor(),
                connection, stack, run.progress(), run.masker()), file));
    }

    SwarmManager manager() {
        return manager;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            manager.close();
        } finally {
            knownHosts.close();
        }
    }
}
