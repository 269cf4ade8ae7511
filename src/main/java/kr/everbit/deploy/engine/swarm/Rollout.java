package kr.everbit.deploy.engine.swarm;

import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;

/**
 * Waits, bounded, for the swarm's rollout of an image: polls the service's state every second until every task the
 * swarm means to run runs the image (converged), or the update ends failed (the swarm paused it or rolled it back), or
 * the time is up. The rollout itself is the swarm's, as the operator's {@code deploy.update_config} says.
 */
final class Rollout {
    private static final long POLL_MILLIS = 1000;
    private final SwarmManager manager;
    private final Progress progress;

    Rollout(SwarmManager manager, Progress progress) {
        this.manager = manager;
        this.progress = progress;
    }

    enum Outcome { CONVERGED, FAILED, TIMED_OUT }

    /** How a rollout ended, with the last state seen. */
    record Result(Outcome outcome, ServiceState state) {
        boolean converged() {
            return outcome == Outcome.CONVERGED;
        }

        /** Why it did not converge, in words. */
        String why(String image, int timeoutSeconds) {
            return switch (outcome) {
                case CONVERGED -> image + " runs on every task";
                case FAILED -> "the swarm " + (state.update().equals("paused") ? "paused its update"
                        : state.update().equals("rollback_completed") ? "rolled it back (its update_config failure_action)"
                        : "ended its update " + state.update()) + (state.message().isEmpty() ? "" : ": " + state.message())
                        + " (tasks: " + state.taskSummary() + ")";
                case TIMED_OUT -> image + " did not run on every task within " + timeoutSeconds + "s (update "
                        + (state.update().isEmpty() ? "none" : state.update()) + "; tasks: " + state.taskSummary() + ")";
            };
        }
    }

    /**
     * What {@code state} says of the rollout of {@code image}: converged (every task runs it and no update is under
     * way), failed (an update that started after {@code notBefore} was paused or rolled back), or null: not yet.
     */
    static Outcome outcome(ServiceState state, String image, String notBefore) {
        boolean thisUpdate = !state.started().equals(notBefore);
        if (thisUpdate && state.updateFailed()) {
            return Outcome.FAILED;
        }
        if (Reconcile.converged(state, image)) {
            return Outcome.CONVERGED;
        }
        return null;
    }

    /**
     * @param notBefore the start time of the update that was the service's last before this rollout: an update state
     *                  of that one (a redeploy of the same spec starts none) says nothing about this rollout
     */
    Result waitFor(String image, String notBefore, int timeoutSeconds) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String seen = "";
        while (true) {
            ServiceState state = manager.state();
            // a line when something changes, not each second a task's age does ("Running 3 seconds ago")
            String summary = state.update() + " " + state.tasks().stream()
                    .map(t -> t.node() + " " + t.image() + " " + t.state().split(" ", 2)[0] + " " + t.error()).toList();
            if (!summary.equals(seen)) {
                progress.info("  update " + (state.update().isEmpty() ? "none" : state.update()) + ", "
                        + state.running() + "/" + state.desired() + " running: " + state.taskSummary());
                seen = summary;
            }
            Outcome outcome = outcome(state, image, notBefore);
            if (outcome != null) {
                return new Result(outcome, state);
            }
            if (System.nanoTime() > deadline) {
                return new Result(Outcome.TIMED_OUT, state);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EverbitException("interrupted while waiting for the rollout of " + image);
            }
        }
    }
}
