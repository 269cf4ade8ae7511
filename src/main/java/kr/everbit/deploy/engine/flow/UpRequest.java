package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.Release;

/**
 * What {@code up} deploys: a release, the optional registry login for the VM's pull, how many releases' images
 * to keep, how long to wait for the lock and for health, and who asked (for the lock holder and the ledger).
 */
public record UpRequest(Release release, RegistryLogin login, int retain, int lockTimeoutSeconds,
                        int healthTimeoutSeconds, String actor) {
    public UpRequest {
        Setting.RETAIN.check(retain);
        Setting.LOCK_TIMEOUT.check(lockTimeoutSeconds);
        Setting.HEALTH_TIMEOUT.check(healthTimeoutSeconds);
    }
}
