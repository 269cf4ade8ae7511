package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
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
 * <p>An abort or a {@code timeout} calls {@code stop()}, which ends the step at once with its own cause (a
 * {@code FlowInterruptedException}: that is what ends the build ABORTED) and interrupts the pool thread: the step's
 * cleanup still runs to its end (see {@code Cleanup}), and what the thread then throws is only added to that cause.
 * The thread throws an InterruptedException whatever the engine made of the interruption; without a {@code stop()}
 * (a thread interrupted otherwise), a plain InterruptedException fails the build like any other exception.
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

    /**
     * The thread was interrupted, or an interruption ended what it waited for. A SocketTimeoutException is an
     * InterruptedIOException too, but a timeout (a registry or VM that did not answer) is a failure, not an abort.
     */
    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException
                    || t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** What the engine said, as an interruption (added to stop()'s cause, which says how the build ends). */
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
