package kr.everbit.deploy.engine.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The checks of the VM side's shell: its files among the resources, and a shell checker run over text. */
public final class ShellFiles {
    /** Where the library's files live in the source tree (tests run in the module's dir). */
    static final Path RESOURCES = Path.of("src/main/resources");

    private ShellFiles() {
    }

    /** Every .sh file among the main resources: the library's, and any other the engine sends. */
    static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            return files.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
    }

    /** Runs {@code command} with {@code text} on its stdin: empty when it passes, else what it said and its exit. */
    public static String check(List<String> command, String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return exit == 0 ? "" : "exit " + exit + ": " + said;
    }
}
