package kr.everbit.deploy.engine.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import org.junit.jupiter.api.Test;

/** When a rollout counts as converged or failed, from the service's state as the manager prints it. */
class RolloutUnitTest {
    private static final ImageRef REPO = ImageRef.of("ghcr.io/everbit/server");
    private static final String NEW = "ghcr.io/everbit/server:bbbbbbb";
    private static final String OLD = "ghcr.io/everbit/server:aaaaaaa";
    private static final String BEFORE = "2026-12-07 05:00:00 +0000 UTC";
    private static final String NOW = "2026-12-07 05:10:00 +0000 UTC";

    private static ServiceState state(String spec, String update, String started, String... taskImages) {
        List<String> lines = new ArrayList<>(List.of("image=" + spec, "update=" + update, "started=" + started,
                "replicas=" + taskImages.length + "/3"));
        int node = 1;
        for (String image : taskImages) {
            lines.add("task node-" + node++ + "|" + image + "|Running 2 seconds ago|");
        }
        return ServiceState.parse(lines, REPO);
    }

    @Test
    void convergedOnlyWhenEveryTaskRunsTheImageAndNoUpdateIsUnderWay() {
        assertThat(Rollout.outcome(state(NEW, "updating", NOW, NEW, NEW, OLD), NEW, BEFORE)).isNull();
        assertThat(Rollout.outcome(state(NEW, "updating", NOW, NEW, NEW, NEW), NEW, BEFORE)).isNull();
        assertThat(Rollout.outcome(state(NEW, "completed", NOW, NEW, NEW), NEW, BEFORE)).as("2 of 3 tasks").isNull();
        assertThat(Rollout.outcome(state(NEW, "completed", NOW, NEW, NEW, NEW), NEW, BEFORE)).isEqualTo(Rollout.Outcome.CONVERGED);
        assertThat(Rollout.outcome(state(NEW, "", "", NEW, NEW, NEW), NEW, "")).as("a new service").isEqualTo(Rollout.Outcome.CONVERGED);
    }

    @Test
    void anUpdateOfThisRolloutThatTheSwarmPausedOrRolledBackFailsIt() {
        assertThat(Rollout.outcome(state(NEW, "paused", NOW, NEW, OLD, OLD), NEW, BEFORE)).isEqualTo(Rollout.Outcome.FAILED);
        assertThat(Rollout.outcome(state(OLD, "rollback_completed", NOW, OLD, OLD, OLD), NEW, BEFORE)).isEqualTo(Rollout.Outcome.FAILED);
        assertThat(Rollout.outcome(state(NEW, "rollback_started", NOW, NEW, OLD, OLD), NEW, BEFORE)).isNull();
    }

    @Test
    void theStateOfAnEarlierUpdateSaysNothingAboutThisRollout() {
        // a redeploy of the release that runs starts no update: the last one's "paused" is from before it
        assertThat(Rollout.outcome(state(NEW, "paused", BEFORE, NEW, NEW, NEW), NEW, BEFORE)).isEqualTo(Rollout.Outcome.CONVERGED);
        assertThat(Rollout.outcome(state(NEW, "rollback_completed", BEFORE, OLD, OLD, OLD), NEW, BEFORE)).isNull();
    }

    /**
     * What a command records before it acts (Reconcile): the release every task runs, once no update is under way,
     * when the ledger calls another one current; nothing while a rollout is under way, paused, or half done.
     */
    @Test
    void onlyAReleaseThatRunsOnEveryTaskWithNoUpdateUnderWayIsRecordedAsCurrent() {
        assertThat(Reconcile.toRecord(OLD, state(NEW, "completed", NOW, NEW, NEW, NEW))).isEqualTo(NEW);
        assertThat(Reconcile.toRecord(null, state(NEW, "", "", NEW, NEW, NEW))).as("an empty ledger").isEqualTo(NEW);
        assertThat(Reconcile.toRecord(NEW, state(NEW, "completed", NOW, NEW, NEW, NEW))).as("the ledger agrees").isNull();
        assertThat(Reconcile.toRecord(OLD, state(NEW, "updating", NOW, NEW, NEW, NEW))).isNull();
        assertThat(Reconcile.toRecord(OLD, state(NEW, "paused", NOW, NEW, OLD, OLD))).isNull();
        assertThat(Reconcile.toRecord(OLD, state(NEW, "completed", NOW, NEW, NEW))).as("2 of 3 tasks").isNull();
        assertThat(Reconcile.toRecord(OLD, state("ghcr.io/other/app:ccccccc", "completed", NOW, NEW, NEW, NEW)))
                .as("an image of another repository").isNull();
    }
}
