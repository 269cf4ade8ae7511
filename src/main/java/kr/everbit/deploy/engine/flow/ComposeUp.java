package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxySwitch;
import kr.everbit.deploy.engine.remote.BatchStep;

/**
 * Deploys a release on the VM: lock, pull, pin, start, wait healthy, record, prune. A failure at any point leaves
 * the release that ran before running, and the ledger says what failed. From the pin to the record the switch is
 * in flight on the VM ({@link Vm#beginSwitchStep}): however the command ends meanwhile (killed, cut off, aborted), the
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
        // In proxy mode the lock's round trip also reads what the switch needs (the proxy state, the compose config).
        Vm.Locked locked = steps.run("take the deploy lock", () -> vm.lock(request.lockTimeoutSeconds(), request.actor() + " deploying " + sha,
                ProxySwitch.lookAhead(vm, image)));
        Vm.Start start = vm.beforeASwitch(locked);
        Ledger ledger = start.ledger();
        RunningRelease before = RunningRelease.of(vm, start, progress);
        String from = ledger.current();
        String startedAt = Clock.now();
        ProxySwitch proxy = ProxySwitch.of(vm, progress, image, locked.more());
        List<LedgerEntry> ifInterrupted = before.restoredAfter(
                failed(sha, image, from, startedAt, request.actor(), "interrupted before it became healthy", Vm.RECOVERY_TIME),
                request.actor());
        // The switch in one round trip: the pull, the in-flight mark, the switch, then (each only once the one before
        // succeeded) the digest and what retention reads.
        RoundTrip trip = new RoundTrip(progress);
        ImagePull images = new ImagePull(vm);
        ImagePull.Pulling pulled = images.add(trip, "pull " + image + " on the VM", image, request.login());
        SwitchInTrip switched = SwitchInTrip.add(vm, progress, trip, proxy, before, image, false, true, health, ifInterrupted,
                why -> failed(sha, image, from, startedAt, request.actor(), why, Clock.now()));
        RoundTrip.Answer digested = trip.add(BatchStep.any(vm.scripts().digest(image)));
        ImagePrune retention = ImagePrune.read(vm, progress, trip);
        trip.send(vm);
        switched.recordIfFails(pulled::check);
        switched.finish(sha, request.actor());
        String digest = images.digestIn(digested.get());
        LedgerEntry success = new LedgerEntry(sha, image, digest, LedgerEntry.DEPLOY, LedgerEntry.SUCCESS, from, startedAt,
                Clock.now(), request.actor(), null);
        // The record, and retention's removal once it is there, in one round trip.
        RoundTrip end = new RoundTrip(progress);
        RoundTrip.Answer unverifiedMarked = null;
        RoundTrip.Answer recorded;
        if (verificationFollows) {
            // First what an interruption records from now on, then the success: in this order no moment is unsaid.
            List<LedgerEntry> unverified = before.restoredAfter(new LedgerEntry(sha, image, digest,
                    LedgerEntry.VERIFY, LedgerEntry.FAILED, null, Vm.RECOVERY_TIME, Vm.RECOVERY_TIME, request.actor(),
                    "interrupted during its verification"), request.actor());
            // The proxy restore written at the switch's start still holds (Nginx back to the release before): the call
            // that writes it is the shell's no-op.
            unverifiedMarked = end.add(proxy == null ? vm.beginSwitchStep(before.image(), health, unverified)
                    : vm.beginSwitchStep(List.of(":"), health, unverified));
            recorded = end.add(BatchStep.required(vm.scripts().appendLedger(Ledger.toJson(success))));
        } else {
            recorded = end.add(vm.endSwitchStep(success));
        }
        retention.addRemoval(end, request.retain(), success);
        end.send(vm);
        if (unverifiedMarked != null) {
            vm.begun(unverifiedMarked.get());
            vm.required(recorded.script(), recorded.get());
        } else {
            vm.ended(recorded.get());
        }
        return new UpResult(from, sha, digest);
    }

    private static LedgerEntry failed(String sha, String image, String from, String startedAt, String actor, String reason,
                                      String at) {
        return new LedgerEntry(sha, image, null, LedgerEntry.DEPLOY, LedgerEntry.FAILED, from, startedAt, at, actor, reason);
    }
}
