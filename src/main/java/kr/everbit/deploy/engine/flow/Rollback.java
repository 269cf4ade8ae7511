package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

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
        throw new InvalidInputException("--to '" + Printable.of(to) + "' must be 'previous' or a git SHA (7 to 40 lowercase hex)");
    }

    public UpResult run(Vm vm, String to, RollbackRequest request) {
        validateTarget(to);
        steps.run("take the deploy lock", () -> vm.lock(request.lockTimeoutSeconds(), request.actor() + " rolling back to " + to));
        Ledger ledger = vm.ledger();
        String from = ledger.current();
        String sha = PREVIOUS.equals(to) ? ledger.previous() : to;
        if (sha == null) {
            throw new EverbitException("there is no previous release in the ledger of " + vm.project().dir()
                    + ": name one with --to SHA (everbit-deploy status lists the history)");
        }
        if (request.currentFailedChecks() && from != null) {
            vm.recordFailedChecks(from, null, request.actor(), request.reason());
        }
        String image = vm.project().image().tagged(Release.of(sha));
        String pinnedBefore = vm.pinnedImage();
        String startedAt = Clock.now();
        ImagePull images = new ImagePull(vm);
        try {
            if (images.present(image)) {
                progress.info(image + " is still on the VM: no registry needed");
            } else {
                progress.warn(image + " is no longer on the VM: pulling it from the registry");
                steps.run("pull " + image + " on the VM", () -> images.pull(image, request.login()));
            }
            new ReleaseSwitch(vm, progress).switchTo(image, pinnedBefore, request.healthTimeoutSeconds());
        } catch (EverbitException e) {
            vm.record(new LedgerEntry(sha, image, null, LedgerEntry.ROLLBACK, LedgerEntry.FAILED, from, startedAt,
                    Clock.now(), request.actor(), vm.masker().mask(e.getMessage())));
            throw e;
        }
        String digest = images.digest(image);
        vm.record(new LedgerEntry(sha, image, digest, LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS, from, startedAt,
                Clock.now(), request.actor(), request.reason()));
        return new UpResult(from, sha, digest);
    }
}
