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
import kr.everbit.deploy.engine.remote.RemoteScript;
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
        // A release named by its SHA is looked for in the lock's round trip; "previous" needs the ledger first.
        String named = PREVIOUS.equals(to) ? null : vm.project().image().tagged(Release.of(to));
        List<BatchStep> lookAhead = named == null ? List.of() : look(vm, named);
        Vm.Locked locked = steps.run("take the deploy lock", () -> vm.lock(request.lockTimeoutSeconds(),
                request.actor() + " rolling back to " + to, lookAhead));
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
        if (request.failedChecks() != null) {
            vm.recordFailedChecks(from, null, request.actor(), request.reason());
        }
        String image = vm.project().image().tagged(Release.of(sha));
        String startedAt = Clock.now();
        ImagePull images = new ImagePull(vm);
        List<ShellResult> seen = named != null ? locked.more() : vm.runAll(look(vm, image));
        ProxySwitch proxy = vm.proxy() == null ? null : ProxySwitch.of(vm, progress, image, seen.get(1));
        boolean kept = seen.get(0).ok();
        try {
            if (kept) {
                progress.info(image + " is still on the VM: no registry needed");
            } else {
                progress.warn(image + " is no longer on the VM: pulling it from the registry, by the digest the ledger recorded");
                steps.run("pull " + image + " on the VM", () -> images.pullRecorded(image, sha, ledger, request.login()));
            }
        } catch (EverbitException e) {
            vm.record(entry(sha, image, LedgerEntry.FAILED, from, startedAt, Clock.now(), request.actor(), vm.masker().mask(e.getMessage())));
            throw e;
        }
        List<LedgerEntry> ifInterrupted = finishWhenInterrupted
                ? List.of(entry(sha, image, LedgerEntry.SUCCESS, from, startedAt, Vm.RECOVERY_TIME,
                        request.actor(), request.reason() + " (finished on the VM after the command was interrupted)"))
                : before.restoredAfter(entry(sha, image, LedgerEntry.FAILED, from, startedAt,
                        Vm.RECOVERY_TIME, request.actor(), "interrupted before it became healthy"), request.actor());
        try {
            if (proxy == null) {
                vm.beginSwitch(finishWhenInterrupted ? image : before.image(), health, ifInterrupted);
                new ReleaseSwitch(vm, progress).switchTo(image, before.image(), health);
            } else {
                proxy.begin(image, before.image(), finishWhenInterrupted, health, ifInterrupted);
                // The release rolled back from stays warm only when it did not fail its checks.
                proxy.switchTo(image, health, request.failedChecks() == null && !finishWhenInterrupted);
            }
        } catch (EverbitException e) {
            vm.endSwitch(entry(sha, image, LedgerEntry.FAILED, from, startedAt, Clock.now(), request.actor(), vm.masker().mask(e.getMessage())));
            before.recordWhenItsRestoreFailed(vm, e, sha, request.actor());
            throw e;
        }
        // A release kept on the VM has the digest read before the switch; a pulled one is read now.
        String digest = kept ? images.digestIn(seen.get(0)) : images.digest(image);
        vm.endSwitch(new LedgerEntry(sha, image, digest, LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS, from, startedAt,
                Clock.now(), request.actor(), request.reason()));
        return new UpResult(from, sha, digest);
    }

    /**
     * One round trip's steps: whether {@code image} is still on the VM, its digest if so, and in proxy mode the proxy
     * state (what is live, what is warm, whether the warm one is {@code image} and runs).
     */
    private static List<BatchStep> look(Vm vm, String image) {
        RemoteScript state = ProxySwitch.readState(vm, image);
        List<BatchStep> look = new ArrayList<>(List.of(BatchStep.any(vm.scripts().imagePresent(image))));
        if (state != null) {
            look.add(BatchStep.any(state));
        }
        return look;
    }

    private static LedgerEntry entry(String sha, String image, String result, String from, String startedAt, String at,
                                     String actor, String reason) {
        return new LedgerEntry(sha, image, null, LedgerEntry.ROLLBACK, result, from, startedAt, at, actor, reason);
    }
}
