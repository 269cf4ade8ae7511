package kr.everbit.deploy.engine.swarm;

import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * The ledger against what the cluster runs, read under the stack's lock before a command changes anything. A command
 * killed after its stack deploy leaves a swarm that keeps converging, and a ledger that never heard of the result:
 * when every task runs one release image and no update is under way, that release is what runs, and it is recorded as
 * current (the entry says it was reconciled, and by whom), so that "previous" and the history are true again. Anything
 * else (a rollout under way or paused, no service) is said and left to the command's own rollout.
 */
final class Reconcile {
    private Reconcile() {
    }

    /** The ledger to work from: {@code ledger}, or the cluster's again once the running release was recorded. */
    static Ledger run(SwarmManager manager, Ledger ledger, ServiceState state, String actor, Progress progress) {
        SwarmStack stack = manager.stack();
        String current = ledger.current();
        String running = state.image();
        if (!state.exists()) {
            if (current != null) {
                progress.warn("the ledger's current release is " + current + ", but the swarm has no service "
                        + stack.swarmService() + " (removed by hand?)");
            }
            return ledger;
        }
        String currentImage = current == null ? null : stack.image().tagged(Release.of(current));
        if (running != null && running.equals(currentImage)) {
            return ledger;
        }
        if (toRecord(currentImage, state) == null) {
            if (current != null) {
                progress.warn("the ledger's current release is " + current + ", but the swarm's service names "
                        + (running == null ? "another image" : running) + " (update " + (state.update().isEmpty() ? "none"
                        : state.update()) + "; tasks: " + state.taskSummary() + "): not reconciled, as it does not run one"
                        + " release on every task");
            }
            return ledger;
        }
        String sha = running.substring(running.lastIndexOf(':') + 1);
        String now = SwarmDeploy.now();
        String why = "reconciled: the swarm runs " + running + " on every task, but the ledger's current release was "
                + (current == null ? "none" : current) + " (a command ended after its stack deploy and before it recorded,"
                + " or the service was changed by hand)";
        progress.warn(why + ": recording " + sha + " as the current release");
        manager.record(new LedgerEntry(sha, running, state.digest(), LedgerEntry.DEPLOY, LedgerEntry.SUCCESS, current, now,
                now, actor, why));
        return manager.ledger();
    }

    /**
     * The release image to record as current: the one every task runs, with no update under way, when the ledger's
     * current release ({@code currentImage}, null for none) is another; else null.
     */
    static String toRecord(String currentImage, ServiceState state) {
        String running = state.image();
        return state.exists() && running != null && !running.equals(currentImage) && converged(state, running) ? running : null;
    }

    /** Every task runs {@code image} and no update is under way: what the swarm will keep running. */
    static boolean converged(ServiceState state, String image) {
        return state.runsOnly(image) && !state.update().equals("updating") && !state.update().equals("rollback_started");
    }
}
