package kr.everbit.deploy.engine.flow;

import java.util.List;
import java.util.function.Function;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxySwitch;

/**
 * A release switch in a flow's round trip, whichever way the VM runs it: in restart mode ({@link ReleaseSwitch}, after
 * the in-flight mark) or through Nginx ({@link ProxySwitch}). Deploy and rollback add it and read it alike; what they
 * record when it fails is theirs ({@code failed}: the ledger line for a failure, given its masked message).
 */
final class SwitchInTrip {
    private final Vm vm;
    private final ProxySwitch proxy;
    private final RoundTrip.Answer marked;
    private final ReleaseSwitch.Added restart;
    private final RunningRelease before;
    private final Function<String, LedgerEntry> failed;

    private SwitchInTrip(Vm vm, ProxySwitch proxy, RoundTrip.Answer marked, ReleaseSwitch.Added restart, RunningRelease before,
                         Function<String, LedgerEntry> failed) {
        this.vm = vm;
        this.proxy = proxy;
        this.marked = marked;
        this.restart = restart;
        this.before = before;
        this.failed = failed;
    }

    /**
     * Adds the in-flight mark and the switch to {@code image} to {@code trip}. {@code finishWhenInterrupted}: an
     * interruption finishes the switch on the VM instead of putting {@code before} back; {@code keepWarm}: in proxy
     * mode the release before stays warm. A switch refused before the VM ran any of it is recorded as failed.
     */
    static SwitchInTrip add(Vm vm, Progress progress, RoundTrip trip, ProxySwitch proxy, RunningRelease before, String image,
                            boolean finishWhenInterrupted, boolean keepWarm, int healthTimeoutSeconds,
                            List<LedgerEntry> ifInterrupted, Function<String, LedgerEntry> failed) {
        if (proxy == null) {
            RoundTrip.Answer marked = trip.add(vm.beginSwitchStep(finishWhenInterrupted ? image : before.image(),
                    healthTimeoutSeconds, ifInterrupted));
            return new SwitchInTrip(vm, null, marked, new ReleaseSwitch(vm, progress).add(trip, image, healthTimeoutSeconds),
                    before, failed);
        }
        try {
            proxy.begin(trip, image, before.image(), finishWhenInterrupted, healthTimeoutSeconds, ifInterrupted);
            proxy.add(trip, image, healthTimeoutSeconds, keepWarm);
        } catch (EverbitException e) {
            vm.record(failed.apply(vm.masker().mask(e.getMessage())));
            throw e;
        }
        return new SwitchInTrip(vm, proxy, null, null, before, failed);
    }

    /**
     * After the trip: returns when the release runs (in proxy mode, with Nginx sending to it). Otherwise ends the
     * in-flight switch recording the failure, and, when putting the release before back failed too, that; then throws.
     */
    void finish(String sha, String actor) {
        try {
            if (proxy == null) {
                vm.begun(marked.get());
                restart.finish(before.image());
            } else {
                proxy.finish();
            }
        } catch (EverbitException e) {
            vm.endSwitch(failed.apply(vm.masker().mask(e.getMessage())));
            before.recordWhenItsRestoreFailed(vm, e, sha, actor);
            throw e;
        }
    }

    /** Records {@code failed}'s line for a step before the switch that failed ({@code check} throws), then rethrows. */
    void recordIfFails(Runnable check) {
        try {
            check.run();
        } catch (EverbitException e) {
            vm.record(failed.apply(vm.masker().mask(e.getMessage())));
            throw e;
        }
    }
}
