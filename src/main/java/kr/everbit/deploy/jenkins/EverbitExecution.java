package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import java.util.Map;
import kr.everbit.deploy.engine.EverbitException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution shared by the steps: runs the step's work on a pool thread with what the context provides and turns
 * every failure into a short, masked message that starts with the step's name. Like every
 * SynchronousNonBlockingStepExecution it does not survive a controller restart: the step then fails, and the VM's
 * lock died with the SSH connection.
 */
abstract class EverbitExecution<T> extends SynchronousNonBlockingStepExecution<T> {
    private static final long serialVersionUID = 1L;
    private final String function;

    EverbitExecution(StepContext context, String function) {
        super(context);
        this.function = function;
    }

    @Override
    protected final T run() throws Exception {
        return runWith(StepRuntime.of(getContext()));
    }

    /** Runs the step with the given runtime (tests hand in their own). */
    final T runWith(StepRuntime runtime) throws Exception {
        StepRun run = new StepRun(runtime);
        try {
            return execute(run);
        } catch (EverbitException | AbortException e) {
            throw StepFailure.of(function, e.getMessage(), run.masker(), renamedParameters());
        }
    }

    /** The step's work. */
    abstract T execute(StepRun run) throws Exception;

    /** Engine options this step names differently from the other steps. */
    Map<String, String> renamedParameters() {
        return Map.of();
    }
}
