package kr.everbit.deploy.jenkins;

import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.MaskingProgress;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.exec.Executor;

/**
 * One run of one step: its runtime, the masker that learns every secret the step touches, and the progress that
 * masks them before they reach the log.
 */
final class StepRun {
    private final StepRuntime runtime;
    private final Masker masker = new Masker();
    private final Progress progress;
    private final StepCredentials credentials;

    StepRun(StepRuntime runtime) {
        this.runtime = runtime;
        this.progress = new MaskingProgress(new TaskListenerProgress(runtime.listener()), masker);
        this.credentials = new StepCredentials(runtime.credentials(), masker);
    }

    StepRuntime runtime() {
        return runtime;
    }

    EverbitGlobalConfiguration defaults() {
        return runtime.defaults();
    }

    Masker masker() {
        return masker;
    }

    Progress progress() {
        return progress;
    }

    StepCredentials credentials() {
        return credentials;
    }

    Executor executor() {
        return new LauncherExecutor(runtime.launcher(), runtime.workspace(), runtime.env());
    }
}
