package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Release;

/**
 * What {@code up} deploys: a release, the optional registry login for the VM's pull, how many releases' images
 * to keep, how long to wait for the lock and for health, and who asked (for the lock holder and the ledger).
 */
public record UpRequest(Release release, RegistryLogin login, int retain, int lockTimeoutSeconds,
                        int healthTimeoutSeconds, String actor) {
    public UpRequest {
        if (retain < 2) {
            throw new InvalidInputException("--retain must be at least 2 (the current and the previous release)");
        }
        if (lockTimeoutSeconds < 0 || healthTimeoutSeconds < 1) {
            throw new InvalidInputException("--lock-timeout must be 0 or more and --health-timeout 1 or more seconds");
        }
    }
}
