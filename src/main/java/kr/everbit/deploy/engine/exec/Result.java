package kr.everbit.deploy.engine.exec;

/** How a process ended, with what it printed on each stream. */
public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** The last non-blank line of stderr, else of stdout: usually the one that says why. */
    public String lastErrorLine() {
        String fromErr = lastLine(stderr);
        return fromErr.isEmpty() ? lastLine(stdout) : fromErr;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
