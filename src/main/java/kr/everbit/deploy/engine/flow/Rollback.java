package kr.everbit.deploy.engine.flow;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxySwitch;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * Runs an earlier release again: the image kept on the VM when it is there (no registry needed, so a rollback
 * works while the registry is down), pulled only when it is not.
 */
public final class Rollback {
    public static final String PREVIOUS = "previous";
    private final Progress progress;
    private final Steps steps;

    public Rollback(Progress progress) {
        this.progress = progress;
        this.steps = new Steps(progress);
    }

    /** Checks {@code to} before anything is contacted: a SHA or the word {@code previous}. */
    public static String validateTarget(String to) {
        if (PREVIOUS.equals(to) || Release.isValid(to)) {
            return to;
        }
        throw new InvalidInputException("{to} '" + Printable.of(to) + "' must be 'previous' or a git SHA (7 to 40 lowercase hex)");
    }

    /**
     * A rollback that answers a failed verification is late when the VM has moved since (someone rolled back or
     * deployed by hand in between): it would mark a good release as failed and start the bad one again.
     */
    public static void refuseWhenMovedSince(Ledger ledger, String failed) {
        String current = ledger.current();
        if (failed.equals(current)) {
            return;
        }
        LedgerEntry last = ledger.lastSuccess();
        String since = last == null ? "the ledger has no successful release"
                : "the ledger's current release is " + current + " (" + last.action() + " by " + last.actor() + " at " + last.at() + ")";
        throw new EverbitException("not rolling back: the release that failed its checks was " + failed + ", but " + since
                + "; the VM has moved since, so nothing was changed");
    }

    public UpResult run(Vm vm, String to, RollbackRequest request) {
        return run(vm, to, request, false);
    }

    /**
     * With {@code finishWhenInterrupted} (a deploy's automatic rollback away from a release that failed its checks),
     * an interruption finishes the rollback on the VM instead of putting the failed release back.
     */
    UpResult run(Vm vm, String to, RollbackRequest request, boolean finishWhenInterrupted) {
        validateTarget(to);
        int health = request.healthTimeoutSeconds();
        // What the switch needs is read in the lock's round trip, before the ledger names "previous": the release
        // images on the VM, and in proxy mode the state, whose warm release is then any image.
        Release named = PREVIOUS.equals(to) ? null : Release.of(to);
        Vm.Locked locked = steps.run("take the deploy lock", () -> vm.lock(request.lockTimeoutSeconds(),
                request.actor() + " rolling back to " + to, look(vm, named)));
        Vm.Start start = vm.beforeASwitch(locked);
        Ledger ledger = start.ledger();
        String from = ledger.current();
        if (request.failedChecks() != null) {
            refuseWhenMovedSince(ledger, request.failedChecks());
        }
        String sha = PREVIOUS.equals(to) ? ledger.previous() : to;
        if (sha == null) {
            throw new EverbitException("there is no previous release in the ledger of " + vm.project().dir()
                    + ": name one with {to} SHA (everbit-deploy status lists the history)");
        }
        if (PREVIOUS.equals(to) && ledger.damagedAfterLastEntry()) {
            throw new EverbitException("the last line of the ledger " + vm.project().dir() + "/" + ComposeProject.LEDGER_FILE
                    + " is unreadable, so 'previous' cannot be trusted: name the release with {to} SHA"
                    + " (everbit-deploy status lists the history)");
        }
        RunningRelease before = RunningRelease.of(vm, start, progress);
        String image = vm.project().image().tagged(Release.of(sha));
        String startedAt = Clock.now();
        ImagePull images = new ImagePull(vm);
        List<ShellResult> seen = locked.more();
        ProxySwitch proxy = ProxySwitch.of(vm, progress, image, seen.subList(1, seen.size()));
        ImagePull.Kept onTheVm = ImagePull.kept(seen.get(0), sha);
        boolean kept = onTheVm != null;
        // The switch in one round trip: the record of the failed checks, the pull when the release is no longer on the
        // VM, the in-flight mark and the switch, each only once the one before succeeded.
        RoundTrip trip = new RoundTrip(progress);
        RoundTrip.Answer failedRecorded = request.failedChecks() == null ? null : trip.add(BatchStep.required(
                vm.scripts().appendLedger(Ledger.toJson(vm.failedChecks(from, null, request.actor(), request.reason())))));
        ImagePull.Pulling pulled = null;
        if (kept) {
            progress.info(image + " is still on the VM: no registry needed");
        } else {
            progress.warn(image + " is no longer on the VM: pulling it from the registry, by the digest the ledger recorded");
            pulled = images.addRecorded(trip, "pull " + image + " on the VM", image, sha, ledger, request.login());
        }
        List<LedgerEntry> ifInterrupted = finishWhenInterrupted
                ? List.of(entry(sha, image, LedgerEntry.SUCCESS, from, startedAt, Vm.RECOVERY_TIME,
                        request.actor(), request.reason() + " (finished on the VM after the command was interrupted)"))
                : before.restoredAfter(entry(sha, image, LedgerEntry.FAILED, from, startedAt,
                        Vm.RECOVERY_TIME, request.actor(), "interrupted before it became healthy"), request.actor());
        // The release rolled back from stays warm only when it did not fail its checks.
        SwitchInTrip switched = SwitchInTrip.add(vm, progress, trip, proxy, before, image, finishWhenInterrupted,
                request.failedChecks() == null && !finishWhenInterrupted, health, ifInterrupted,
                why -> entry(sha, image, LedgerEntry.FAILED, from, startedAt, Clock.now(), request.actor(), why));
        // A release kept on the VM has the digest read before the switch; a pulled one is read after it.
        RoundTrip.Answer digested = kept ? null : trip.add(BatchStep.any(vm.scripts().digest(image)));
        trip.send(vm);
        if (failedRecorded != null) {
            vm.required(failedRecorded.script(), failedRecorded.get());
        }
        if (pulled != null) {
            switched.recordIfFails(pulled::check);
        }
        switched.finish(sha, request.actor());
        String digest = kept ? onTheVm.digest() : images.digestIn(digested.get());
        vm.endSwitch(new LedgerEntry(sha, image, digest, LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS, from, startedAt,
                Clock.now(), request.actor(), request.reason()));
        return new UpResult(from, sha, digest);
    }

    /**
     * Steps for the lock's round trip: the release images on the VM ({@code release}'s alone when it is named, null
     * for "previous"), and in proxy mode what the switch reads first ({@link ProxySwitch#lookAhead}: what is live, what
     * is warm, whether the warm one is the release (for "previous": any) and runs, the compose config unless it does).
     */
    private static List<BatchStep> look(Vm vm, Release release) {
        List<BatchStep> look = new ArrayList<>(List.of(BatchStep.any(vm.scripts().releaseImages(release))));
        look.addAll(ProxySwitch.lookAhead(vm, release == null ? "" : vm.project().image().tagged(release)));
        return look;
    }

    private static LedgerEntry entry(String sha, String image, String result, String from, String startedAt, String at,
                                     String actor, String reason) {
        return new LedgerEntry(sha, image, null, LedgerEntry.ROLLBACK, result, from, startedAt, at, actor, reason);
    }
}
