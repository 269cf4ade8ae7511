package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * Makes the service run another image: pin it, start the service, wait until it is healthy, in the round trip of the
 * switch. When the new image does not come up healthy, the image pinned before is pinned and started again, so the VM
 * is left as it was.
 */
final class ReleaseSwitch {
    private final Vm vm;
    private final Progress progress;
    private final Steps steps;

    ReleaseSwitch(Vm vm, Progress progress) {
        this.vm = vm;
        this.progress = progress;
        this.steps = new Steps(progress);
    }

    /**
     * Adds the switch to {@code image} to {@code trip}: its pin, then compose up and the wait until it is healthy, each
     * reported as it ends; the steps after them in the trip run only once it is healthy. {@link #finish} reads them.
     */
    Added add(RoundTrip trip, String image, int healthTimeoutSeconds) {
        RoundTrip.Answer pinned = trip.add("pin " + image,
                BatchStep.required(vm.scripts().writePin(ComposeProject.PIN_FILE, image)));
        RoundTrip.Answer healthy = trip.add("compose up and wait healthy", BatchStep.required(startAndWaitScript(healthTimeoutSeconds)),
                answer -> {
                    if (answer.ok()) {
                        progress.info(vm.project().service() + " runs " + image + " (" + answer.lastLine() + ")");
                    }
                });
        return new Added(image, pinned, healthy, healthTimeoutSeconds);
    }

    /** A switch in a round trip, until it is read. */
    final class Added {
        private final String image;
        private final RoundTrip.Answer pinned;
        private final RoundTrip.Answer healthy;
        private final int healthTimeoutSeconds;

        private Added(String image, RoundTrip.Answer pinned, RoundTrip.Answer healthy, int healthTimeoutSeconds) {
            this.image = image;
            this.pinned = pinned;
            this.healthy = healthy;
            this.healthTimeoutSeconds = healthTimeoutSeconds;
        }

        /** After the trip: returns when {@code image} is healthy; throws, after restoring {@code before}, when it is not. */
        void finish(String before) {
            vm.required(pinned.script(), pinned.get());
            ShellResult healthy = this.healthy.get();
            if (healthy.ok()) {
                return;
            }
            String state = healthy.lastLine();
            ShellResult logs = vm.run(vm.scripts().logs(30));
            logs.lines().forEach(progress::output);
            if (before == null || before.equals(image)) {
                throw new ReleaseNotHealthyException(image + " did not become healthy within " + healthTimeoutSeconds + "s ("
                        + state + "); there was no earlier release to restore. Its last log lines are above.", image, state,
                        null, false);
            }
            progress.warn(image + " did not become healthy (" + state + "); restoring " + before);
            boolean restored = steps.run("restore " + before, () -> {
                vm.require(vm.scripts().writePin(ComposeProject.PIN_FILE, before));
                return vm.run(startAndWaitScript(healthTimeoutSeconds)).ok();
            });
            throw new ReleaseNotHealthyException(image + " did not become healthy within " + healthTimeoutSeconds + "s ("
                    + state + "); " + (restored ? before + " is running again." : "restoring " + before
                    + " FAILED too: check the VM now (docker ps)."), image, state, restored ? before : null, !restored);
        }
    }

    private RemoteScript startAndWaitScript(int healthTimeoutSeconds) {
        return vm.scripts().startAndWait(healthTimeoutSeconds, vm.startRules().settleSeconds());
    }
}
