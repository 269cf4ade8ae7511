package kr.everbit.deploy.engine;

import java.time.Duration;
import java.util.function.Supplier;

/** Runs a named step and reports its duration, also when it fails. */
public final class Steps {
    private final Progress progress;

    public Steps(Progress progress) {
        this.progress = progress;
    }

    public <T> T run(String name, Supplier<T> work) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = work.get();
            ok = true;
            return result;
        } finally {
            progress.stepDone(name, Duration.ofNanos(System.nanoTime() - start), ok);
        }
    }

    public void run(String name, Runnable work) {
        run(name, () -> {
            work.run();
            return null;
        });
    }
}
