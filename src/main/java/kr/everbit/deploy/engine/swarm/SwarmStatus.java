package kr.everbit.deploy.engine.swarm;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * The stack's releases as the cluster has them, from any manager: the ledger's current and previous release and
 * history, and what the swarm runs of the service, per task and node. Reads only; takes no lock.
 */
public final class SwarmStatus {
    /**
     * @param image   the release image the service's spec names, or null (no service, or another image)
     * @param update  the state of the service's last update ("" before any)
     * @param tasks   per task: its node, its image, its state
     * @param lock    who holds the stack's deploy lock and until when, or null when it is free
     * @param warnings where the ledger and the swarm disagree, or the ledger is damaged
     */
    public record Report(String current, String previous, String image, String digest, String update, String message,
                         int running, int desired, List<ServiceState.Task> tasks, List<LedgerEntry> history,
                         String lock, List<String> warnings) {
    }

    public Report run(SwarmManager manager) {
        Ledger ledger = manager.ledger();
        ServiceState state = manager.state();
        List<String> warnings = new ArrayList<>();
        if (!ledger.unreadableLines().isEmpty()) {
            warnings.add("the cluster's ledger has " + ledger.unreadableLines().size() + " unreadable entries");
        }
        String current = ledger.current();
        if (current != null) {
            String image = manager.stack().image().tagged(Release.of(current));
            if (!state.exists()) {
                warnings.add("the ledger's current release is " + current + ", but the swarm has no service "
                        + manager.stack().swarmService());
            } else if (Reconcile.toRecord(image, state) != null) {
                warnings.add("the swarm runs " + state.image() + " on every task, but the ledger's current release is "
                        + current + ": a command ended after its stack deploy and before it recorded (or the service was"
                        + " changed by hand); the next deploy or rollback records it as current");
            } else if (!state.runsOnly(image)) {
                warnings.add("the ledger's current release is " + current + ", but the swarm's tasks are not all running "
                        + image + " (update " + (state.update().isEmpty() ? "none" : state.update()) + "): a rollout is under"
                        + " way, failed, or ended without its command recording it");
            }
        }
        return new Report(current, ledger.previous(), state.image(), state.digest(), state.update(), state.message(),
                state.running(), state.desired(), state.tasks(), ledger.entries(), manager.lockHolder(), warnings);
    }
}
