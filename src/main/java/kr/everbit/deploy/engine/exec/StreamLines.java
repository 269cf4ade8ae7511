package kr.everbit.deploy.engine.exec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Reads a process stream line by line on its own thread, keeping the text and handing each line on. */
final class StreamLines {
    private final StringBuilder text = new StringBuilder();
    private final Thread thread;

    StreamLines(InputStream in, Consumer<String> lines, String name) {
        thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (text) {
                        text.append(line).append('\n');
                    }
                    lines.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    String await() throws InterruptedException {
        thread.join();
        synchronized (text) {
            return text.toString();
        }
    }
}
