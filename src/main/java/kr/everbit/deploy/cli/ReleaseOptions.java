package kr.everbit.deploy.cli;

import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.flow.UpRequest;
import kr.everbit.deploy.engine.remote.StartRules;
import picocli.CommandLine.Option;

/** Options shared by the commands that change what runs on the VM. */
final class ReleaseOptions {
    @Option(names = "--retain", defaultValue = "5", paramLabel = "N",
            description = "Keep the images of the newest N releases on the VM (default: ${DEFAULT-VALUE}).")
    int retain;

    @Option(names = "--lock-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Wait this long for another deploy's lock (default: ${DEFAULT-VALUE}).")
    int lockTimeout;

    @Option(names = "--health-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Wait this long for the service to run and be healthy (default: ${DEFAULT-VALUE}).")
    int healthTimeout;

    @Option(names = "--ready-path", paramLabel = "PATH",
            description = "Proxy mode: a new slot must also answer 2xx to GET PATH at its own address before Nginx sends"
                    + " to it (e.g. /actuator/health; default: a TCP connect alone).")
    String readyPath;

    @Option(names = "--start-settle", defaultValue = "3", paramLabel = "SECONDS",
            description = "A container without healthcheck counts as started once it has kept running, unrestarted,"
                    + " this long (default: ${DEFAULT-VALUE}).")
    int startSettle;

    @Option(names = "--actor", description = "Who deploys, for the lock and the ledger (default: user@host).")
    String actor;

    @Option(names = "--dry-run", description = "Print the ssh command and every script, run nothing.")
    boolean dryRun;

    /** When a release counts as started; checked before the VM is contacted. */
    StartRules startRules() {
        return new StartRules(readyPath, startSettle);
    }

    UpRequest upRequest(Release release, RegistryLogin login) {
        return new UpRequest(release, login, retain, lockTimeout, healthTimeout, Actor.of(actor));
    }
}
