package kr.everbit.deploy.engine.exec;

/** How a process ended, with what it printed on each stream. */
public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** The last few non-blank lines of stderr, else of stdout: usually the ones that say why. */
    public String lastErrorLine() {
        String fromErr = lastLines(stderr);
        return fromErr.isEmpty() ? lastLines(stdout) : fromErr;
    }

    private static String lastLines(String text) {
        java.util.List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
