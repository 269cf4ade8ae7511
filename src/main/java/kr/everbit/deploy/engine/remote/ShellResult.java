package kr.everbit.deploy.engine.remote;

import java.util.List;

/** How a remote script ended, with the lines it printed (stdout and stderr, in order). */
public record ShellResult(int exitCode, List<String> lines) {
    /** The exit code of a script of a batch that did not run, a script before it having failed ({@link BatchStep}). */
    public static final int SKIPPED = -1;

    public ShellResult {
        lines = List.copyOf(lines);
    }

    public static ShellResult skipped() {
        return new ShellResult(SKIPPED, List.of());
    }

    public boolean ok() {
        return exitCode == 0;
    }

    public String text() {
        return String.join("\n", lines);
    }

    /** The last non-blank line: usually the one that says why a script failed. */
    public String lastLine() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return "";
    }
}
