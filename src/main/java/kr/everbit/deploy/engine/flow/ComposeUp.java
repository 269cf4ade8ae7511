package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * Deploys a release on the VM: lock, pull, pin, start, wait healthy, record, prune. A failure at any point leaves
 * the release that ran before running, and the ledger says what failed.
 */
public final class ComposeUp {
    private final Progress progress;
    private final Steps steps;

    public ComposeUp(Progress progress) {
        this.progress = progress;
        this.steps = new Steps(progress);
    }

    public UpResult run(Vm vm, UpRequest request) {
        String sha = request.release().sha();
        String image = vm.project().image().tagged(request.release());
        steps.run("take the deploy lock", () -> vm.lock(request.lockTimeoutSeconds(), request.actor() + " deploying " + sha));
        Ledger ledger = vm.ledger();
        String pinnedBefore = vm.pinnedImage();
        String from = ledger.current();
        String startedAt = Clock.now();
        try {
            steps.run("pull " + image + " on the VM", () -> new ImagePull(vm).pull(image, request.login()));
            new ReleaseSwitch(vm, progress).switchTo(image, pinnedBefore, request.healthTimeoutSeconds());
        } catch (EverbitException e) {
            vm.record(new LedgerEntry(sha, image, null, LedgerEntry.DEPLOY, LedgerEntry.FAILED, from, startedAt,
                    Clock.now(), request.actor(), vm.masker().mask(e.getMessage())));
            throw e;
        }
        String digest = new ImagePull(vm).digest(image);
        vm.record(new LedgerEntry(sha, image, digest, LedgerEntry.DEPLOY, LedgerEntry.SUCCESS, from, startedAt,
                Clock.now(), request.actor(), null));
        steps.run("prune releases beyond " + request.retain(), () -> new ImagePrune(vm, progress).prune(request.retain()));
        return new UpResult(from, sha, digest);
    }
}
