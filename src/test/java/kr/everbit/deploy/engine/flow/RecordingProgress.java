package kr.everbit.deploy.engine.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.Progress;

/** Keeps what the engine told the operator, for assertions. */
final class RecordingProgress implements Progress {
    final List<String> lines = new ArrayList<>();

    @Override
    public void info(String text) {
        lines.add("info " + text);
    }

    @Override
    public void warn(String text) {
        lines.add("warn " + text);
    }

    @Override
    public void output(String line) {
        lines.add("out  " + line);
    }

    @Override
    public void stepDone(String step, Duration took, boolean ok) {
        lines.add("step " + step + " " + (ok ? "ok" : "failed"));
    }
}
