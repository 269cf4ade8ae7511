package kr.everbit.deploy.engine.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A shell on the VM that lives for a whole command: its working directory, functions and lock persist. */
public interface RemoteSession extends RemoteShell, AutoCloseable {
    /** Runs the script in the session's shell itself (it must not call {@code exit}). */
    ShellResult runInSession(RemoteScript script);

    /**
     * Runs {@code steps} in order, each as {@link #run} or {@link #runInSession} would, and returns their results in
     * the same order. A session over a network sends them all at once (one round trip); the VM runs each after the one
     * before, and a failed step that {@link BatchStep#stopsOnFailure stops on failure} skips the rest
     * ({@link ShellResult#SKIPPED}). This one runs them one by one with the same rule.
     */
    default List<ShellResult> runAll(List<BatchStep> steps) {
        return runAll(steps, (index, answer) -> { });
    }

    /**
     * As {@link #runAll(List)}, telling {@code answered} each step's answer (its index, the answer) as soon as it has
     * it, before it reads the next: the VM runs the steps one after another, so what a step did can be said while the
     * steps after it still run.
     */
    default List<ShellResult> runAll(List<BatchStep> steps, BiConsumer<Integer, ShellResult> answered) {
        List<ShellResult> results = new ArrayList<>();
        boolean skip = false;
        for (BatchStep step : steps) {
            ShellResult result = skip ? ShellResult.skipped()
                    : step.inSession() ? runInSession(step.script()) : run(step.script());
            skip = skip || step.stopsOnFailure() && !result.ok();
            results.add(result);
            answered.accept(results.size() - 1, result);
        }
        return results;
    }

    /** Ends the connection at once (Ctrl-C): the VM's shell finishes its current command, then ends. */
    void abort();

    /** Ends the session; the remote shell ends and its deploy lock is released. */
    @Override
    void close();
}
