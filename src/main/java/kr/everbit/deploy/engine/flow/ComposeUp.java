package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxySwitch;

/**
 * Deploys a release on the VM: lock, pull, pin, start, wait healthy, record, prune. A failure at any point leaves
 * the release that ran before running, and the ledger says what failed. From the pin to the record the switch is
 * in flight on the VM ({@link Vm#beginSwitch}): however the command ends meanwhile (killed, cut off, aborted), the
 * VM restores the release before it and records the interrupted one as failed.
 */
public final class ComposeUp {
    private final Progress progress;
    private final Steps steps;

    public ComposeUp(Progress progress) {
        this.progress = progress;
        this.steps = new Steps(progress);
    }

    public UpResult run(Vm vm, UpRequest request) {
        return run(vm, request, false);
    }

    /**
     * With {@code verificationFollows}, the release stays in flight after it is recorded: until the caller ends the
     * switch, an interruption records it as failed verification and restores the release before it.
     */
    UpResult run(Vm vm, UpRequest request, boolean verificationFollows) {
        String sha = request.release().sha();
        String image = vm.project().image().tagged(request.release());
        int health = request.healthTimeoutSeconds();
        Vm.Locked locked = steps.run("take the deploy lock", () -> vm.lock(request.lockTimeoutSeconds(), request.actor() + " deploying " + sha,
                List.of()));
        Vm.Start start = vm.beforeASwitch(locked);
        Ledger ledger = start.ledger();
        RunningRelease before = RunningRelease.of(vm, start, progress);
        String from = ledger.current();
        String startedAt = Clock.now();
        try {
            steps.run("pull " + image + " on the VM", () -> new ImagePull(vm).pull(image, request.login()));
        } catch (EverbitException e) {
            vm.record(failed(sha, image, from, startedAt, request.actor(), vm.masker().mask(e.getMessage()), Clock.now()));
            throw e;
        }
        ProxySwitch proxy = ProxySwitch.of(vm, progress, image);
        List<LedgerEntry> ifInterrupted = before.restoredAfter(
                failed(sha, image, from, startedAt, request.actor(), "interrupted before it became healthy", Vm.RECOVERY_TIME),
                request.actor());
        try {
            if (proxy == null) {
                vm.beginSwitch(before.image(), health, ifInterrupted);
                new ReleaseSwitch(vm, progress).switchTo(image, before.image(), health);
            } else {
                proxy.begin(image, before.image(), false, health, ifInterrupted);
                proxy.switchTo(image, health, true);
            }
        } catch (EverbitException e) {
            vm.endSwitch(failed(sha, image, from, startedAt, request.actor(), vm.masker().mask(e.getMessage()), Clock.now()));
            before.recordWhenItsRestoreFailed(vm, e, sha, request.actor());
            throw e;
        }
        String digest = new ImagePull(vm).digest(image);
        LedgerEntry success = new LedgerEntry(sha, image, digest, LedgerEntry.DEPLOY, LedgerEntry.SUCCESS, from, startedAt,
                Clock.now(), request.actor(), null);
        if (verificationFollows) {
            // First what an interruption records from now on, then the success: in this order no moment is unsaid.
            List<LedgerEntry> unverified = before.restoredAfter(new LedgerEntry(sha, image, digest,
                    LedgerEntry.VERIFY, LedgerEntry.FAILED, null, Vm.RECOVERY_TIME, Vm.RECOVERY_TIME, request.actor(),
                    "interrupted during its verification"), request.actor());
            if (proxy == null) {
                vm.beginSwitch(before.image(), health, unverified);
            } else {
                // The proxy restore written at the switch's start still holds (Nginx back to the release before): the
                // call that writes it is the shell's no-op.
                vm.beginSwitch(List.of(":"), health, unverified);
            }
            vm.record(success);
        } else {
            vm.endSwitch(success);
        }
        steps.run("prune releases beyond " + request.retain(), () -> new ImagePrune(vm, progress).prune(request.retain()));
        return new UpResult(from, sha, digest);
    }

    private static LedgerEntry failed(String sha, String image, String from, String startedAt, String actor, String reason,
                                      String at) {
        return new LedgerEntry(sha, image, null, LedgerEntry.DEPLOY, LedgerEntry.FAILED, from, startedAt, at, actor, reason);
    }
}
