package kr.everbit.deploy.cli;

import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.flow.UpRequest;
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

    @Option(names = "--actor", description = "Who deploys, for the lock and the ledger (default: user@host).")
    String actor;

    @Option(names = "--dry-run", description = "Print the ssh command and every script, run nothing.")
    boolean dryRun;

    UpRequest upRequest(Release release, RegistryLogin login) {
        return new UpRequest(release, login, retain, lockTimeout, healthTimeout, Actor.of(actor));
    }
}
