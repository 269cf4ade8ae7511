package org.jenkinsci.plugins.workflow.steps;

/**
 * API shim (compile-only, never packaged): real signatures of
 * org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution (real Jenkins calls {@code run()} on a
 * pool thread from {@code start()}).
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
    private static final long serialVersionUID = 1L;

    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;
}
