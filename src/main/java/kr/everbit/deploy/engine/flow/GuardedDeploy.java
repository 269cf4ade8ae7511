package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.health.Probe;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * {@code up}, then {@code verify}. A release that fails its checks is recorded as failed and replaced by the
 * previous healthy release, which is verified in turn; a release whose container does not even become healthy
 * has already been replaced by {@code up}, and that one is verified the same way. Deploy, verify and rollback
 * share the one session of {@code vm}, and so its deploy lock. The release stays in flight on the VM until it has
 * passed its checks: a deploy interrupted while it verifies leaves the release before it running, and the ledger
 * records the interrupted one as failed verification.
 */
public final class GuardedDeploy {
    private final Progress progress;
    private final Steps steps;
    private final Verify verify;

    public GuardedDeploy(Progress progress) {
        this(progress, new Verify(progress));
    }

    GuardedDeploy(Progress progress, Verify verify) {
        this.progress = progress;
        this.steps = new Steps(progress);
        this.verify = verify;
    }

    public GuardedDeployResult run(Vm vm, List<Probe> probes, GuardedDeployRequest request) {
        String sha = request.up().release().sha();
        UpResult deployed;
        try {
            deployed = deployTheRelease(vm, request);
        } catch (ReleaseNotHealthyException e) {
            throw whenTheReleaseDidNotStart(vm, probes, request, e);
        }
        VerifyReport checked = verifyTheRelease(vm, probes, request, sha);
        if (checked.ok()) {
            vm.endSwitch(null);
            return new GuardedDeployResult(deployed, checked);
        }
        recordThatItFailedVerification(vm, request, sha, deployed.digest(), checked);
        String failed = "Release " + sha + " failed verification: " + checked.failure() + ".";
        String previous = vm.ledger().previous();
        if (previous == null) {
            vm.endSwitch(null);
            throw leaveTheFirstReleaseAsAsked(vm, request, sha, failed, List.of(checked));
        }
        rollBackTo(previous, vm, request, sha, failed, checked);
        throw verifyTheRestoredRelease(vm, probes, request, sha, previous, failed, checked);
    }

    private UpResult deployTheRelease(Vm vm, GuardedDeployRequest request) {
        return new ComposeUp(progress).run(vm, request.up(), true);
    }

    private VerifyReport verifyTheRelease(Vm vm, List<Probe> probes, GuardedDeployRequest request, String sha) {
        progress.info("verifying " + sha + " with " + probes.size() + (probes.size() == 1 ? " probe" : " probes"));
        return verify.run(probes, request.verify(), vm);
    }

    /** {@code up} found the container unhealthy and already put the earlier image back (or had none to put back). */
    private EverbitException whenTheReleaseDidNotStart(Vm vm, List<Probe> probes, GuardedDeployRequest request,
                                                       ReleaseNotHealthyException e) {
        String sha = request.up().release().sha();
        String failed = "Release " + sha + " did not become healthy on the VM (" + e.state() + ").";
        if (e.restoreFailed()) {
            return e;
        }
        if (e.restoredImage() == null) {
            return leaveTheFirstReleaseAsAsked(vm, request, sha, failed, List.of());
        }
        String previous = e.restoredImage().substring(e.restoredImage().lastIndexOf(':') + 1);
        if (!Release.isValid(previous)) {
            previous = e.restoredImage();
        } else {
            recordTheRestore(vm, request, previous, e.restoredImage(), sha, e.state());
        }
        return verifyTheRestoredRelease(vm, probes, request, sha, previous, failed, null);
    }

    private void rollBackTo(String previous, Vm vm, GuardedDeployRequest request, String sha, String failed,
                            VerifyReport checked) {
        UpRequest up = request.up();
        RollbackRequest rollback = new RollbackRequest(up.lockTimeoutSeconds(), up.healthTimeoutSeconds(), up.actor(),
                "automatic: " + sha + " failed verification: " + checked.failure(), up.login(), null);
        progress.warn(sha + " failed verification: rolling back to " + previous);
        try {
            new Rollback(progress).run(vm, previous, rollback, true);
        } catch (EverbitException e) {
            String pinned;
            try {
                pinned = vm.pinnedImage();
            } catch (EverbitException unreadable) {
                pinned = null;
            }
            throw new VerifyFailedException(failed + " The automatic rollback to " + previous + " FAILED too: "
                    + e.getMessage() + " The pin now names " + (pinned == null ? "no image" : pinned)
                    + "; check the VM now (docker ps, everbit-deploy status): the service may be down.", List.of(checked));
        }
    }

    private VerifyFailedException verifyTheRestoredRelease(Vm vm, List<Probe> probes, GuardedDeployRequest request,
                                                           String sha, String previous, String failed, VerifyReport checked) {
        VerifyReport restored = verifyTheRelease(vm, probes, request, previous);
        List<VerifyReport> reports = checked == null ? List.of(restored) : List.of(checked, restored);
        if (!restored.ok()) {
            if (Release.isValid(previous)) {
                recordThatItFailedVerification(vm, request, previous, null, restored);
            }
            return new VerifyFailedException(failed + " It was rolled back to " + previous + ", but that fails verification"
                    + " too: " + restored.failure() + ". " + previous + " is running now. A failure that persists after a"
                    + " rollback points at the infrastructure or the database rather than the release: check them"
                    + " (docker ps, the logs in the report, the runbook).", reports);
        }
        return new RolledBackException(failed + " It was rolled back automatically to " + previous + ", which passed the"
                + " same checks: " + previous + " is running now. The ledger records " + sha + " as failed; fix it and"
                + " deploy again.", sha, previous, reports);
    }

    private EverbitException leaveTheFirstReleaseAsAsked(Vm vm, GuardedDeployRequest request, String sha, String failed,
                                                         List<VerifyReport> reports) {
        String what;
        if (request.onFirstFailure() == OnFirstFailure.STOP) {
            boolean stopped = steps.run("stop " + sha, () -> vm.run(vm.scripts().stop()).ok());
            what = stopped ? sha + " was stopped ({onFirstFailure} stop): " + vm.project().service() + " is not running."
                    : "stopping " + sha + " FAILED as well ({onFirstFailure} stop): check the VM now (docker ps).";
        } else {
            what = sha + " was left as it is ({onFirstFailure} keep) so that it can be looked at; it is not healthy.";
        }
        return new VerifyFailedException(failed + " There is no earlier healthy release in the ledger of "
                + vm.project().dir() + ", so nothing was rolled back: " + what + " Fix the release and deploy again.",
                reports);
    }

    private void recordThatItFailedVerification(Vm vm, GuardedDeployRequest request, String sha, String digest,
                                                VerifyReport report) {
        steps.run("record " + sha + " as failed in the ledger",
                () -> vm.recordFailedChecks(sha, digest, request.up().actor(), report.failure()));
    }

    private void recordTheRestore(Vm vm, GuardedDeployRequest request, String previous, String image, String sha,
                                  String state) {
        String now = Clock.now();
        vm.record(new LedgerEntry(previous, image, null, LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS, sha, now, now,
                request.up().actor(), "automatic: " + sha + " did not become healthy (" + state + ")"));
    }
}
