package kr.everbit.deploy.jenkins;

import hudson.model.TaskListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import kr.everbit.deploy.engine.Progress;

/**
 * The engine's progress in the build log: "[everbit] build ghcr.io/o/server:abc1234 ✓ 12.3s", command output
 * indented beneath, the engine's settings named as step parameters. Always used behind a MaskingProgress, so no
 * secret reaches the log through it.
 */
public final class TaskListenerProgress implements Progress {
    private static final String PREFIX = "[everbit] ";
    private final PrintStream log;

    public TaskListenerProgress(TaskListener listener) {
        this.log = listener.getLogger();
    }

    @Override
    public void info(String text) {
        log.println(PREFIX + StepParameters.render(text, Map.of()));
    }

    @Override
    public void warn(String text) {
        log.println(PREFIX + "WARNING: " + StepParameters.render(text, Map.of()));
    }

    @Override
    public void output(String line) {
        log.println(PREFIX + "  | " + line);
    }

    @Override
    public void stepDone(String step, Duration took, boolean ok) {
        log.println(String.format(Locale.ROOT, "%s%s %s %.1fs", PREFIX, step, ok ? "✓" : "✗", took.toMillis() / 1000.0));
    }
}
