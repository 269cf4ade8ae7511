package kr.everbit.deploy.engine.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The VM side's shell library: the functions every script the engine sends calls, kept as shell files among the
 * resources ({@link #FILES}), checked there by {@code sh -n} and shellcheck and unit-tested with stub commands. A
 * session loads it once, as it opens ({@link #connect}); from then on the Java side only calls its functions with
 * values it quotes ({@link kr.everbit.deploy.engine.Shell#call}).
 */
public final class RemoteLibrary {
    /** The library's files, in the order they are loaded: the session's functions, then the proxy mode's and the health checks'. */
    public static final List<String> FILES = List.of(
            "/kr/everbit/deploy/engine/remote/everbit-session.sh",
            "/kr/everbit/deploy/engine/proxy/everbit-proxy.sh",
            "/kr/everbit/deploy/engine/health/everbit-health.sh");
    /** Ends the here-document that carries the library; no line of the library may be this word. */
    private static final String END = "everbit_lib_end";
    private static final String TEXT = read();

    private RemoteLibrary() {
    }

    /** The library's text, every file in order: function definitions only, so it can be run anywhere to define them. */
    public static String text() {
        return TEXT;
    }

    /**
     * What a session runs first: the library, kept in {@code everbit_lib} for the processes that must run it on their
     * own (the bounded restore, the warm window's timer) and defined in the session's shell; then
     * {@code everbit_connected} with what the remote command (SshCommands) exports, which gives the tool up after
     * {@code silenceSeconds} without hearing from it.
     */
    public static RemoteScript connect(int silenceSeconds) {
        return RemoteScript.quiet("load the VM side's functions (" + String.join(", ", FILES.stream()
                        .map(f -> f.substring(f.lastIndexOf('/') + 1)).toList()) + ")",
                load() + "\neverbit_connected \"${EVERBIT_FIFO_DIR:-}\" \"${EVERBIT_READER:-}\" " + silenceSeconds);
    }

    /** The library as a session defines it: its text in {@code everbit_lib}, then evaluated. */
    public static String load() {
        return "everbit_lib=$(cat <<'" + END + "'\n" + TEXT + "\n" + END + "\n)\neval \"$everbit_lib\"";
    }

    private static String read() {
        StringBuilder text = new StringBuilder();
        for (String file : FILES) {
            try (InputStream in = RemoteLibrary.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("the VM side's library file " + file + " is missing from the build");
                }
                text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (text.toString().lines().anyMatch(END::equals)) {
            throw new IllegalStateException("a line of the VM side's library is '" + END + "', which ends its here-document");
        }
        return text.toString().stripTrailing();
    }
}
