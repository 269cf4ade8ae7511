package kr.everbit.deploy.engine.swarm;

import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.flow.Rollback;
import kr.everbit.deploy.engine.flow.RollbackRequest;
import kr.everbit.deploy.engine.flow.UpResult;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * Runs an earlier release on the swarm again: {@code previous} (the ledger's) or a SHA, deployed with the same pin and
 * {@code docker stack deploy}, waited for until every task runs it, and recorded as a rollback: success only once
 * that was seen.
 */
public final class SwarmRollback {
    private final Progress progress;
    private final Steps steps;

    public SwarmRollback(Progress progress) {
        this.progress = progress;
        this.steps = new Steps(progress);
    }

    /**
     * With {@code request.failedChecks()} (the Jenkins library's rollback after a failed verification), that release
     * must still be the ledger's current one (else nothing is changed) and is recorded as failed first, as on a VM.
     */
    public UpResult run(SwarmManager manager, String to, RollbackRequest request) {
        Rollback.validateTarget(to);
        manager.lock(request.actor(), SwarmDeploy.lockLimit(request.healthTimeoutSeconds(), null),
                request.lockTimeoutSeconds());
        manager.checkFiles();
        Ledger ledger = Reconcile.run(manager, manager.ledger(), manager.state(), request.actor(), progress);
        String current = ledger.current();
        if (request.failedChecks() != null) {
            Rollback.refuseWhenMovedSince(ledger, request.failedChecks());
        }
        String target = to;
        if (Rollback.PREVIOUS.equals(to)) {
            if (ledger.damagedAfterLastEntry()) {
                throw new EverbitException("the newest entry of the cluster's ledger is unreadable, so 'previous' cannot be"
                        + " trusted: roll back to an explicit SHA ({to} SHA)");
            }
            target = ledger.previous();
            if (target == null) {
                throw new EverbitException("the cluster's ledger of " + manager.stack().swarmService()
                        + " has no previous healthy release to roll back to" + (current == null ? "" : " (current: " + current + ")"));
            }
        }
        String reason = request.reason() == null ? "by hand" : request.reason();
        if (request.failedChecks() != null) {
            String now = SwarmDeploy.now();
            manager.record(SwarmDeploy.entry(current, manager.stack().image().tagged(Release.of(current)), null,
                    LedgerEntry.VERIFY, LedgerEntry.FAILED, null, now, request.actor(), reason));
        }
        restore(manager, target, current, request.login(), request.healthTimeoutSeconds(), request.actor(), reason);
        return new UpResult(current, target, null);
    }

    /** Deploys {@code sha} again and waits until every task runs it; records the rollback as it ended. */
    void restore(SwarmManager manager, String sha, String from, RegistryLogin login, int healthTimeoutSeconds,
                 String actor, String reason) {
        String image = manager.stack().image().tagged(Release.of(sha));
        String startedAt = SwarmDeploy.now();
        ServiceState before = manager.state();
        try {
            steps.run("docker stack deploy " + image, () -> manager.deploy(image, login));
        } catch (EverbitException e) {
            manager.record(SwarmDeploy.entry(sha, image, null, LedgerEntry.ROLLBACK, LedgerEntry.FAILED, from, startedAt,
                    actor, reason + "; " + manager.masker().mask(e.getMessage())));
            throw e;
        }
        Rollout.Result rollout = steps.run("rollout of " + image + " on every task",
                () -> new Rollout(manager, progress).waitFor(image, before.started(), healthTimeoutSeconds));
        if (!rollout.converged()) {
            String why = rollout.why(image, healthTimeoutSeconds);
            manager.record(SwarmDeploy.entry(sha, image, null, LedgerEntry.ROLLBACK, LedgerEntry.FAILED, from, startedAt,
                    actor, reason + "; " + why));
            throw new EverbitException("the rollback to " + sha + " did not roll out: " + why);
        }
        manager.record(SwarmDeploy.entry(sha, image, rollout.state().digest(), LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS,
                from, startedAt, actor, reason));
        progress.info(image + " runs on every task again: " + rollout.state().taskSummary());
    }
}
