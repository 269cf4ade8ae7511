package kr.everbit.deploy.jenkins;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Where a process's stdout or stderr goes when it runs through the Launcher: each complete line is handed on as it
 * arrives (the engine's progress) and the whole text is kept (the engine parses it: digests, ssh-agent's pid).
 */
final class LineSink extends OutputStream {
    private final Consumer<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();

    LineSink(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Hands on a last line without a newline and returns everything written. */
    synchronized String finish() {
        if (line.size() > 0) {
            emit();
        }
        return text.toString();
    }

    private void emit() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        text.append(s).append('\n');
        lines.accept(s);
    }
}
