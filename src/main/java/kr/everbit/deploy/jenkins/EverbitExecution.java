package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import java.io.InterruptedIOException;
import java.util.Map;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.settings.Setting;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution shared by the steps: runs the step's work on a pool thread with what the context provides and turns
 * every failure into a short, masked message that starts with the step's name. Like every
 * SynchronousNonBlockingStepExecution it does not survive a controller restart: the step then fails, and the VM's
 * lock died with the SSH connection.
 *
 * <p>An abort or a {@code timeout} calls {@code stop()}, which interrupts the pool thread: the step's cleanup still
 * runs to its end (see {@code Cleanup}) and the step then ends as interrupted, whatever the engine made of it.
 */
abstract class EverbitExecution<T> extends SynchronousNonBlockingStepExecution<T> {
    private static final long serialVersionUID = 1L;
    private final String function;
    /** The runtime a test hands in, for {@link #start()}; in Jenkins it comes from the context. */
    private transient StepRuntime given;

    EverbitExecution(StepContext context, String function) {
        super(context);
        this.function = function;
    }

    @Override
    protected final T run() throws Exception {
        return runWith(given != null ? given : StepRuntime.of(getContext()));
    }

    /** Makes {@link #start()} run with this runtime instead of the context's (tests). */
    final EverbitExecution<T> withRuntime(StepRuntime runtime) {
        this.given = runtime;
        return this;
    }

    /** Runs the step with the given runtime (tests hand in their own). */
    final T runWith(StepRuntime runtime) throws Exception {
        StepRun run = new StepRun(runtime);
        try {
            return execute(run);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (interrupted(e)) {
                throw interruption(e, run);
            }
            if (e instanceof EverbitException || e instanceof AbortException) {
                throw StepFailure.of(function, e.getMessage(), run.masker(), renamedParameters());
            }
            throw e;
        }
    }

    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    /** What the engine said, as an interruption: Jenkins then ends the build ABORTED, not FAILURE. */
    private InterruptedException interruption(Exception e, StepRun run) {
        String said = StepFailure.inStepTerms(e.getMessage() == null ? "" : e.getMessage(), renamedParameters());
        // Not chained: the engine's own message may hold what only the masked one hides.
        return new InterruptedException(function + ": interrupted"
                + (said.isBlank() ? "" : " (" + run.masker().mask(said) + ")"));
    }

    /** The step's work. */
    abstract T execute(StepRun run) throws Exception;

    /** Settings this step names differently from the other steps. */
    Map<Setting, String> renamedParameters() {
        return Map.of();
    }
}
