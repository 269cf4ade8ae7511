package kr.everbit.deploy.engine.swarm;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.flow.GuardedDeployRequest;
import kr.everbit.deploy.engine.flow.GuardedDeployResult;
import kr.everbit.deploy.engine.flow.RolledBackException;
import kr.everbit.deploy.engine.flow.UpRequest;
import kr.everbit.deploy.engine.flow.UpResult;
import kr.everbit.deploy.engine.flow.Verify;
import kr.everbit.deploy.engine.flow.VerifyFailedException;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.flow.VerifyReport;
import kr.everbit.deploy.engine.health.Probe;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * Deploys a release to a swarm through one manager, under the stack's lock in the cluster: the pin names
 * {@code REPO:SHA}, {@code docker stack deploy} hands the operator's files and the pin to the swarm, which rolls the
 * service out as their {@code deploy:} keys say; the tool waits, bounded, until every task runs the release (or the
 * swarm paused or rolled back the update), then runs the probes. A release that does not converge or fails its
 * probes is recorded as failed, and the release before it is deployed again (unless the swarm's own rollback already
 * put it back, which is recorded as such), waited for and verified in turn. Every ledger entry follows what was seen.
 */
public final class SwarmDeploy {
    /** How much longer than its waits a command may hold the lock: the stack deploys, the ledger's reads and writes. */
    private static final int LOCK_MARGIN_SECONDS = 300;
    private final Progress progress;
    private final Steps steps;
    private final Verify verify;

    public SwarmDeploy(Progress progress) {
        this.progress = progress;
        this.steps = new Steps(progress);
        this.verify = new Verify(progress);
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /**
     * The longest a deploy can hold the lock: two rollouts (the release, the rollback) and two verifications, with
     * a margin. The lock expires then, so a command that died holding it blocks the stack no longer.
     */
    static int lockLimit(int healthTimeoutSeconds, VerifyOptions verify) {
        int verifying = verify == null ? 0 : verify.timeoutSeconds() + verify.settleSeconds();
        return 2 * (healthTimeoutSeconds + verifying) + LOCK_MARGIN_SECONDS;
    }

    /**
     * {@code up} when {@code probes} is empty (request.verify() may then be null), {@code deploy} otherwise.
     *
     * @throws RolledBackException   the release failed and the one before it runs again, verified (exit 3)
     * @throws VerifyFailedException the release failed and nothing healthy could be put back
     */
    public GuardedDeployResult run(SwarmManager manager, List<Probe> probes, GuardedDeployRequest request) {
        UpRequest up = request.up();
        SwarmStack stack = manager.stack();
        String sha = up.release().sha();
        String image = stack.image().tagged(up.release());
        manager.lock(up.actor(), lockLimit(up.healthTimeoutSeconds(), request.verify()), up.lockTimeoutSeconds());
        manager.checkFiles();
        ServiceState before = manager.state();
        Ledger ledger = Reconcile.run(manager, manager.ledger(), before, up.actor(), progress);
        String from = ledger.current();
        String startedAt = now();
        progress.info("deploying " + image + " to stack " + stack.stack() + " through " + manager.node()
                + (from == null ? " (no release before it in the ledger)" : " (the ledger's current release: " + from + ")"));
        try {
            steps.run("docker stack deploy " + image, () -> manager.deploy(image, up.login()));
        } catch (EverbitException e) {
            manager.record(entry(sha, image, null, LedgerEntry.DEPLOY, LedgerEntry.FAILED, from, startedAt, up.actor(),
                    manager.masker().mask(e.getMessage())));
            throw e;
        }
        Rollout.Result rollout = steps.run("rollout of " + image + " on every task",
                () -> new Rollout(manager, progress).waitFor(image, before.started(), up.healthTimeoutSeconds()));
        if (!rollout.converged()) {
            String why = rollout.why(image, up.healthTimeoutSeconds());
            manager.record(entry(sha, image, null, LedgerEntry.DEPLOY, LedgerEntry.FAILED, from, startedAt, up.actor(), why));
            String failed = "Release " + sha + " did not roll out: " + why + ".";
            throw putBack(manager, probes, request, sha, from, failed, rollout.state(), null);
        }
        String digest = rollout.state().digest();
        manager.record(entry(sha, image, digest, LedgerEntry.DEPLOY, LedgerEntry.SUCCESS, from, startedAt, up.actor(), null));
        progress.info(image + " runs on every task: " + rollout.state().taskSummary());
        if (probes.isEmpty()) {
            return new GuardedDeployResult(new UpResult(from, sha, digest), null);
        }
        VerifyReport checked = verifyRelease(manager, probes, request, sha);
        if (checked.ok()) {
            return new GuardedDeployResult(new UpResult(from, sha, digest), checked);
        }
        steps.run("record " + sha + " as failed in the ledger", () -> manager.record(entry(sha, image, digest,
                LedgerEntry.VERIFY, LedgerEntry.FAILED, null, now(), up.actor(), checked.failure())));
        String previous = manager.ledger().previous();
        String failed = "Release " + sha + " failed verification: " + checked.failure() + ".";
        throw putBack(manager, probes, request, sha, previous, failed, null, checked);
    }

    /**
     * Puts the release before the failed one back, unless the swarm's own rollback already did ({@code swarmState}
     * says so), verifies it and returns the exception that ends the deploy.
     */
    private EverbitException putBack(SwarmManager manager, List<Probe> probes, GuardedDeployRequest request, String sha,
                                     String previous, String failed, ServiceState swarmState, VerifyReport checked) {
        UpRequest up = request.up();
        List<VerifyReport> reports = checked == null ? List.of() : List.of(checked);
        if (previous == null) {
            return new VerifyFailedException(failed + " There is no earlier healthy release in the cluster's ledger of "
                    + manager.stack().swarmService() + ", so nothing was rolled back: " + sha + " was left as the swarm"
                    + " has it (docker service ps " + manager.stack().swarmService() + "). Fix the release and deploy again.",
                    reports);
        }
        String previousImage = manager.stack().image().tagged(Release.of(previous));
        String reason = "automatic: " + failed;
        Rollout.Result swarmRollback = swarmState != null && swarmState.update().equals("rollback_completed")
                && previousImage.equals(swarmState.image())
                ? steps.run("the swarm's rollback to " + previous + " on every task", () -> new Rollout(manager, progress)
                        .waitFor(previousImage, swarmState.started(), up.healthTimeoutSeconds()))
                : null;
        if (swarmRollback != null && swarmRollback.converged()) {
            progress.warn("the swarm rolled " + sha + " back to " + previous + " itself: recording that");
            manager.record(entry(previous, previousImage, swarmRollback.state().digest(), LedgerEntry.ROLLBACK,
                    LedgerEntry.SUCCESS, sha, now(), up.actor(), "the swarm's own rollback (failure_action: rollback); " + reason));
        } else {
            progress.warn(sha + " failed: rolling back to " + previous);
            try {
                new SwarmRollback(progress).restore(manager, previous, sha, up.login(), up.healthTimeoutSeconds(),
                        up.actor(), reason);
            } catch (EverbitException e) {
                return new VerifyFailedException(failed + " The automatic rollback to " + previous + " FAILED too: "
                        + e.getMessage() + " Check the swarm now (docker service ps " + manager.stack().swarmService()
                        + ", everbit-deploy status): the service may be down.", reports);
            }
        }
        if (probes.isEmpty()) {
            return new RolledBackException(failed + " It was rolled back automatically to " + previous + ", which runs on"
                    + " every task now. The ledger records " + sha + " as failed; fix it and deploy again.", sha, previous, reports);
        }
        VerifyReport restored = verifyRelease(manager, probes, request, previous);
        List<VerifyReport> all = checked == null ? List.of(restored) : List.of(checked, restored);
        if (!restored.ok()) {
            manager.record(entry(previous, previousImage, null, LedgerEntry.VERIFY, LedgerEntry.FAILED, null, now(),
                    up.actor(), restored.failure()));
            return new VerifyFailedException(failed + " It was rolled back to " + previous + ", but that fails verification"
                    + " too: " + restored.failure() + ". " + previous + " is running now. A failure that persists after a"
                    + " rollback points at the infrastructure rather than the release: check it.", all);
        }
        return new RolledBackException(failed + " It was rolled back automatically to " + previous + ", which passed the"
                + " same checks: " + previous + " is running now. The ledger records " + sha + " as failed; fix it and"
                + " deploy again.", sha, previous, all);
    }

    private VerifyReport verifyRelease(SwarmManager manager, List<Probe> probes, GuardedDeployRequest request, String sha) {
        progress.info("verifying " + sha + " with " + probes.size() + (probes.size() == 1 ? " probe" : " probes"));
        return verify.runMasked(probes, request.verify(), manager.masker());
    }

    static LedgerEntry entry(String sha, String image, String digest, String action, String result, String from,
                             String startedAt, String actor, String reason) {
        return new LedgerEntry(sha, image, digest, action, result, from, startedAt, now(), actor, reason);
    }
}
