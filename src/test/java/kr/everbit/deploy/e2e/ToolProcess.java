package kr.everbit.deploy.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The CLI as a process of its own, for the tests that interrupt it (kill it, Ctrl-C it) at a given moment. */
final class ToolProcess {
    private ToolProcess() {
    }

    /** Starts {@code kr.everbit.deploy.cli.Main} with the tests' class path; its stderr joins its stdout. */
    static Process start(String[] cliArgs) throws IOException {
        return start(cliArgs, java.util.Map.of());
    }

    /** As {@link #start(String[])}, with more environment (a TMPDIR of the test's own). */
    static Process start(String[] cliArgs, java.util.Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "kr.everbit.deploy.cli.Main"));
        command.addAll(List.of(cliArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return builder.start();
    }

    /**
     * Reads the tool's output until a line contains {@code marker}, then keeps draining it in the background; returns
     * everything the tool has said so far, each time it is asked (for a failing assertion's message).
     */
    static Supplier<String> awaitLine(Process process, String marker) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer seen = new StringBuffer();
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains(marker)) {
                // Keep draining, so that the tool never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        String more;
                        while ((more = lines.readLine()) != null) {
                            seen.append(more).append('\n');
                        }
                    } catch (IOException e) {
                        // the tool ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return seen::toString;
            }
        }
        throw new AssertionError("the tool ended before '" + marker + "':\n" + seen);
    }
}
