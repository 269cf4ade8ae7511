package kr.everbit.deploy.cli;

import java.io.PrintStream;
import java.time.Duration;
import kr.everbit.deploy.engine.Progress;

/** Progress on the terminal: steps with their durations, command output indented beneath. */
final class ConsoleProgress implements Progress {
    private final PrintStream out;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void info(String text) {
        out.println("  " + OptionNames.render(text));
    }

    @Override
    public void warn(String text) {
        out.println("  WARNING: " + OptionNames.render(text));
    }

    @Override
    public void output(String line) {
        out.println("    | " + line);
    }

    @Override
    public void stepDone(String step, Duration took, boolean ok) {
        out.printf("%s %s (%.2fs)%n", ok ? "[ok]" : "[FAILED]", step, took.toMillis() / 1000.0);
    }
}
