package kr.everbit.deploy.engine.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteSession;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * Steps a command sends to the VM at once, in one round trip ({@link RemoteSession#runAll}), gathered by the parts of a
 * flow that each add theirs and read their own answers. A step with a name is a progress step: it is reported as its
 * answer arrives, timed from the answer before it (the VM runs the steps one after another), so that the operator, and
 * whoever watches the output, sees each step end when it ends on the VM, not when the whole trip has.
 */
public final class RoundTrip {
    private final Progress progress;
    private final List<BatchStep> steps = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Long> arrived = new ArrayList<>();
    private final List<Consumer<ShellResult>> onArrival = new ArrayList<>();
    private List<ShellResult> answers;

    public RoundTrip(Progress progress) {
        this.progress = progress;
    }

    /** Adds a step that is not reported on its own. */
    public Answer add(BatchStep step) {
        return add(null, step);
    }

    /** Adds a step reported as {@code name} ({@code [ok]} when it succeeded) once its answer arrives; skipped, not at all. */
    public Answer add(String name, BatchStep step) {
        return add(name, step, null);
    }

    /**
     * As {@link #add(String, BatchStep)}, with {@code arrival} (or null) told the answer as soon as it arrives, when the
     * VM ran the step: what it says is then said when it happened, while the steps after it still run.
     */
    public Answer add(String name, BatchStep step, Consumer<ShellResult> arrival) {
        if (answers != null) {
            throw new IllegalStateException("the round trip was sent");
        }
        steps.add(step);
        names.add(name);
        onArrival.add(arrival);
        return new Answer(steps.size() - 1);
    }

    /** Sends the steps (none: nothing is sent), reporting each named one as its answer arrives. */
    public void send(Vm vm) {
        long[] last = {System.nanoTime()};
        answers = vm.runAll(steps, (index, answer) -> {
            long now = System.nanoTime();
            arrived.add(now);
            String name = names.get(index);
            if (answer.exitCode() != ShellResult.SKIPPED) {
                if (name != null) {
                    progress.stepDone(name, Duration.ofNanos(now - last[0]), answer.ok());
                }
                if (onArrival.get(index) != null) {
                    onArrival.get(index).accept(answer);
                }
            }
            last[0] = now;
        });
    }

    /** The answer to one step, once the round trip was sent. */
    public final class Answer {
        private final int index;

        private Answer(int index) {
            this.index = index;
        }

        public ShellResult get() {
            if (answers == null) {
                throw new IllegalStateException("the round trip was not sent");
            }
            return answers.get(index);
        }

        public RemoteScript script() {
            return steps.get(index).script();
        }

        /** When its answer arrived ({@link System#nanoTime}): the steps between two answers took the time between. */
        public long arrivedNanos() {
            get();
            return arrived.get(index);
        }
    }
}
