package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * Makes the service run another image: pin it, start the service, wait until it is healthy. When the new image
 * does not come up healthy, the image pinned before is pinned and started again, so the VM is left as it was.
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

    /** Switches to {@code image}; throws (after restoring {@code before}) when it does not become healthy. */
    void switchTo(String image, String before, int healthTimeoutSeconds) {
        steps.run("pin " + image, () -> { vm.require(vm.scripts().writePin(ComposeProject.PIN_FILE, image)); });
        ShellResult healthy = steps.run("compose up and wait healthy", () -> startAndWait(healthTimeoutSeconds));
        if (healthy.ok()) {
            progress.info(vm.project().service() + " runs " + image + " (" + healthy.lastLine() + ")");
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
            return startAndWait(healthTimeoutSeconds).ok();
        });
        throw new ReleaseNotHealthyException(image + " did not become healthy within " + healthTimeoutSeconds + "s (" + state
                + "); " + (restored ? before + " is running again." : "restoring " + before + " FAILED too: check the VM now (docker ps)."),
                image, state, restored ? before : null, !restored);
    }

    private ShellResult startAndWait(int healthTimeoutSeconds) {
        return vm.run(vm.scripts().startAndWait(healthTimeoutSeconds, vm.startRules().settleSeconds()));
    }
}
