package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.Release;

/**
 * How to roll back: lock and health timeouts, who asks, why (recorded in the ledger), a registry login used
 * only when the image is no longer on the VM, and the release that failed its checks, when the rollback is the
 * answer to a failed verification: that SHA must still be the ledger's current release when the lock is taken
 * (otherwise someone moved the VM since, and the rollback changes nothing); the ledger then records it as failed
 * first, so that {@code previous} never points back at it.
 *
 * @param failedChecks the SHA that failed its checks, or null for a plain rollback
 */
public record RollbackRequest(int lockTimeoutSeconds, int healthTimeoutSeconds, String actor, String reason,
                              RegistryLogin login, String failedChecks) {
    public RollbackRequest {
        Setting.LOCK_TIMEOUT.check(lockTimeoutSeconds);
        Setting.HEALTH_TIMEOUT.check(healthTimeoutSeconds);
        if (failedChecks != null && !Release.isValid(failedChecks)) {
            throw new InvalidInputException("{failedChecks} '" + Printable.of(failedChecks)
                    + "' must be the git SHA that failed its checks (7 to 40 lowercase hex)");
        }
    }
}
