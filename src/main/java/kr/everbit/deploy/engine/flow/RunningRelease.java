package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * The release the VM runs when a command starts, as the ledger says (its current release): what a failed or
 * interrupted switch puts back. The pin should name the same image; when it does not (a hand edit, a tool older
 * than the in-flight switch), the command says so and trusts the ledger, so that it never "restores" an
 * unverified image the pin still names.
 *
 * @param sha   null when the ledger has no successful release yet
 * @param image the image that release ran as
 */
record RunningRelease(String sha, String image) {
    static RunningRelease of(Vm vm, Vm.Start start, Progress progress) {
        LedgerEntry last = start.ledger().lastSuccess();
        String image = last == null ? null
                : last.image() != null ? last.image() : vm.project().image().tagged(Release.of(last.sha()));
        String pinned = start.pinned();
        if (pinned != null && !pinned.equals(image)) {
            progress.warn("the pin names " + pinned + " but the ledger's current release is "
                    + (last == null ? "none" : last.sha() + " (" + image + ")")
                    + ": the VM may not run what the ledger says; a failed or interrupted switch restores "
                    + (image == null ? "nothing" : image));
        }
        return new RunningRelease(last == null ? null : last.sha(), image);
    }

    /**
     * Records, after a switch to {@code failedSha} that did not become healthy, that putting this release back did not
     * either ({@code e}'s restore failed): the ledger then says that the VM runs nothing healthy, as it is.
     */
    void recordWhenItsRestoreFailed(Vm vm, EverbitException e, String failedSha, String actor) {
        if (sha == null || !(e instanceof ReleaseNotHealthyException notHealthy) || !notHealthy.restoreFailed()) {
            return;
        }
        String now = Clock.now();
        vm.record(new LedgerEntry(sha, image, null, LedgerEntry.ROLLBACK, LedgerEntry.FAILED, failedSha, now, now, actor,
                "automatic: " + failedSha + " did not become healthy, and the restore of " + sha
                + " did not either: the VM runs nothing healthy"));
    }

    /**
     * What the ledger records when a switch away from this release is interrupted: {@code interrupted}, then, when
     * there is a release to put back, its restore as a successful rollback, so that the ledger's current release is
     * the one the VM restored, whatever was recorded before the interruption.
     */
    List<LedgerEntry> restoredAfter(LedgerEntry interrupted, String actor) {
        if (sha == null) {
            return List.of(interrupted);
        }
        return List.of(interrupted, new LedgerEntry(sha, image, null, LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS,
                interrupted.sha(), Vm.RECOVERY_TIME, Vm.RECOVERY_TIME, actor, "automatic: " + interrupted.sha() + " was "
                + interrupted.reason() + "; the VM restored " + sha + " on its own"));
    }
}
