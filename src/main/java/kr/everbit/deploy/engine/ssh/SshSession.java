package kr.everbit.deploy.engine.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.ProcessFailedException;
import kr.everbit.deploy.engine.exec.RunningProcess;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteSession;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * One OpenSSH connection to the VM running one remote shell, fed script by script through the channel's stdin.
 * Every command of a deploy (lock, login, pull, up, wait, verify, rollback) runs over this single connection,
 * and the deploy lock is an open file descriptor of that shell: when the connection dies, the shell exits and
 * the kernel releases the lock.
 */
public final class SshSession implements RemoteSession {
    private static final String EOF = "\u0000eof";
    /** How long the VM's shell may take to answer once ssh runs: a forced {@code command=} or a hung login never does. */
    static final int ANSWER_SECONDS = 30;
    /** The tool writes a newline this often; between scripts the VM's shell reads it as an empty command. */
    static final long HEARTBEAT_MILLIS = 5_000;
    /**
     * Without a terminal, sshd does not signal the remote shell when the channel ends (the tool killed, its ssh left
     * orphaned, the connection dropped): the shell would finish its current command (a pull, a health wait) before
     * it reads end of input, holding the deploy lock that long. The channel's reader ({@link SshCommands}) sees the
     * end at once; the VM side's watcher ({@code everbit_watch_reader}, started once per session as the library is
     * loaded) then ends the shell's process group within a second, so the kernel releases the lock. A connection can
     * also go silent without ending (a host that crashed, a NAT that forgot it, a paused proxy): the reader then reads
     * nothing, not even the tool's heartbeat, and after {@value #SILENCE_SECONDS} seconds of that the watcher ends the
     * reader and the shell all the same (six missed heartbeats).
     */
    public static final int SILENCE_SECONDS = 30;
    /** How long closing waits for ssh to end once the VM's shell has read the end of its input. */
    static final long CLOSE_MILLIS = 10_000;
    private final RunningProcess process;
    private final OutputStream stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final String marker = "__EVERBIT_DONE_" + UUID.randomUUID().toString().replace("-", "") + "__";
    private final Consumer<String> output;
    private final SshTarget target;
    private final Thread stderrPump;
    private final Object writing = new Object();
    private volatile boolean closed;

    private SshSession(RunningProcess process, SshTarget target, Consumer<String> output) {
        this.process = process;
        this.stdin = process.stdin();
        this.target = target;
        this.output = output;
        pump(new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.UTF_8)), stdout::add, true);
        stderrPump = pump(new BufferedReader(new InputStreamReader(process.stderr(), StandardCharsets.UTF_8)), line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        }, false);
        Thread heartbeat = new Thread(this::beat, "ssh-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /** Tells the VM's watcher that the tool is still there, for as long as the session is open. */
    private void beat() {
        while (!closed) {
            try {
                Thread.sleep(HEARTBEAT_MILLIS);
                synchronized (writing) {
                    if (!closed) {
                        stdin.write('\n');
                        stdin.flush();
                    }
                }
            } catch (InterruptedException | IOException e) {
                return;
            }
        }
    }

    /**
     * Connects, starts the remote shell and checks that it answers. Remote stderr is merged into the script
     * output; {@code output} receives every line of scripts that are not quiet.
     *
     * @param agentSocket the ssh-agent socket to use, or null for the environment's own
     */
    public static SshSession open(Executor executor, SshTarget target, String agentSocket, Consumer<String> output) {
        return open(executor, target, agentSocket, output, null).session();
    }

    /** A session just opened, and the answer to the script sent with its hello. */
    public record Opened(SshSession session, ShellResult first) {
    }

    /**
     * As {@link #open(Executor, SshTarget, String, Consumer)}, with {@code first} (or null), a script for the session's
     * own shell sent with the hello, which the VM runs once the library has loaded: one round trip for both.
     */
    public static Opened open(Executor executor, SshTarget target, String agentSocket, Consumer<String> output,
                              RemoteScript first) {
        Command command = Command.of(SshCommands.session(target));
        if (agentSocket != null) {
            command = command.withEnv("SSH_AUTH_SOCK", agentSocket);
        }
        SshSession session = new SshSession(executor.start(command), target, output);
        boolean ready = false;
        try {
            RemoteScript connect = RemoteLibrary.connect(SILENCE_SECONDS).withLimit(ANSWER_SECONDS);
            session.write(hello(connect.body()) + "\n" + end(session.marker, "$?") + "\n"
                    + (first == null ? "" : block(first.body(), true) + "\n" + end(session.marker, "$?") + "\n"), connect);
            ShellResult hello = session.read(connect);
            ready = hello.ok() && hello.lines().contains("ready");
        } catch (NoAnswerException e) {
            throw new EverbitException("ssh reached " + target.destination() + " but the VM's shell did not answer within "
                    + ANSWER_SECONDS + "s: check that the key has no forced command= in the VM's authorized_keys and that"
                    + " the user's login (its shell, its .profile) does not hang");
        } catch (EverbitException e) {
            // The connection ended before the shell answered: what ssh printed says why.
        }
        if (ready) {
            // Read past the hello: a script that does not finish in time is named as itself.
            return new Opened(session, first == null ? null : session.read(first));
        }
        // Read what ssh said before ending it: destroying a process closes its streams.
        String said = session.stderrText();
        session.abort();
        throw SshFailure.explain(target, said);
    }

    /**
     * What the session sends first, around the connect script's {@code body}: the shell's stderr joins its stdout for
     * the whole session, and "ready" says the library loaded. A dry run prints the same text.
     */
    public static String hello(String body) {
        return "{\nexec 2>&1\n" + body + "\necho ready\n} </dev/null";
    }

    /**
     * What the session sends for a script's {@code body} (then only its end marker): in a subshell, or with
     * {@code inSession} in the session's shell itself; its stdin is never the channel, which carries the scripts after
     * it. A dry run prints the same text.
     */
    public static String block(String body, boolean inSession) {
        return inSession ? "{\n" + body + "\n} </dev/null" : "(\n" + body + "\n) </dev/null";
    }

    @Override
    public ShellResult run(RemoteScript script) {
        return send(block(script.body(), false), script);
    }

    /**
     * Runs the script in the session's shell itself, so that what it sets up (the working directory, the lock's
     * file descriptor, shell functions) stays for the scripts after it. It must not call {@code exit}.
     */
    @Override
    public ShellResult runInSession(RemoteScript script) {
        return send(block(script.body(), true), script);
    }

    /**
     * Sends every step at once, as {@link #batch} writes them, then reads their answers in order, each within its own
     * script's limit from the answer before it: one round trip for the lot. Each answer goes to {@code answered} as it
     * arrives.
     */
    @Override
    public synchronized List<ShellResult> runAll(List<BatchStep> steps, BiConsumer<Integer, ShellResult> answered) {
        if (steps.isEmpty()) {
            return List.of();
        }
        write(batch(steps, RemoteScript::body, marker), steps.get(0).script());
        List<ShellResult> results = new ArrayList<>();
        for (BatchStep step : steps) {
            results.add(read(step.script()));
            answered.accept(results.size() - 1, results.get(results.size() - 1));
        }
        return results;
    }

    /**
     * What the session sends for a batch: each step's {@link #block} (with its {@code body}), run only while no step
     * before it that {@link BatchStep#stopsOnFailure stops on failure} has failed, then the line that prints
     * {@code marker} and its exit code ({@value ShellResult#SKIPPED}: it did not run). A dry run prints the same text.
     */
    public static String batch(List<BatchStep> steps, Function<RemoteScript, String> body, String marker) {
        StringBuilder text = new StringBuilder("everbit_batch_skip=\n");
        for (BatchStep step : steps) {
            text.append("if [ -z \"$everbit_batch_skip\" ]; then\n").append(block(body.apply(step.script()), step.inSession()))
                    .append("\neverbit_batch_rc=$?\n");
            if (step.stopsOnFailure()) {
                text.append("[ \"$everbit_batch_rc\" = 0 ] || everbit_batch_skip=1\n");
            }
            text.append("else everbit_batch_rc=").append(ShellResult.SKIPPED).append("; fi\n")
                    .append(end(marker, "$everbit_batch_rc")).append('\n');
        }
        return text.toString();
    }

    /** The line after every script: the end marker and the script's exit code, on a line of their own. */
    private static String end(String marker, String exitCode) {
        return "printf '\\n%s %s\\n' '" + marker + "' \"" + exitCode + "\"";
    }

    private synchronized ShellResult send(String block, RemoteScript script) {
        write(block + "\n" + end(marker, "$?") + "\n", script);
        return read(script);
    }

    private void write(String text, RemoteScript script) {
        if (closed) {
            throw new IllegalStateException("SSH session to " + target.host() + " is closed");
        }
        try {
            synchronized (writing) {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw connectionLost(script, e);
        }
    }

    /** Reads the answer to {@code script}, up to its end marker, within its limit. */
    private ShellResult read(RemoteScript script) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(script.limitSeconds());
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = take(script, deadline);
            if (line == EOF) {
                throw connectionLost(script, null);
            }
            int at = line.indexOf(marker);
            if (at >= 0) {
                if (at > 0) {
                    accept(script, lines, line.substring(0, at));
                }
                // The marker's own leading newline ends a partial last line; drop the empty line it leaves.
                if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                    lines.remove(lines.size() - 1);
                }
                return new ShellResult(Integer.parseInt(line.substring(at + marker.length()).strip()), lines);
            }
            accept(script, lines, line);
        }
    }

    private void accept(RemoteScript script, List<String> lines, String line) {
        lines.add(line);
        if (!script.quiet() && !line.isEmpty()) {
            output.accept(line);
        }
    }

    private String take(RemoteScript script, long deadline) {
        try {
            String line = stdout.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                abort();
                throw new NoAnswerException("on the VM, '" + script.label() + "' did not finish within "
                        + script.limitSeconds() + "s; the connection was closed, which ends the VM's shell and frees the"
                        + " deploy lock (a switch in progress is restored there): check the VM (docker ps; is dockerd"
                        + " answering?)");
            }
            return line;
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new ProcessFailedException("interrupted; the SSH session to " + target.host() + " was closed", e);
        }
    }

    private EverbitException connectionLost(RemoteScript script, Exception cause) {
        String said = stderrText();
        process.kill();
        closed = true;
        String why = said.isBlank() ? "" : ": " + said.strip().lines().reduce((a, b) -> b).orElse("");
        return new EverbitException("the SSH connection to " + target.host() + " was lost while running '"
                + script.label() + "'" + why + "; the VM's shell ended with it, releasing the deploy lock", cause);
    }

    private String stderrText() {
        try {
            stderrPump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** A script, or the shell itself, did not answer in time. */
    private static final class NoAnswerException extends EverbitException {
        NoAnswerException(String message) {
            super(message);
        }
    }

    @Override
    public void abort() {
        closed = true;
        process.kill();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            synchronized (writing) {
                stdin.close();
            }
        } catch (IOException e) {
            // Already gone: nothing is left to end.
        }
        // The VM's shell ends at the end of its input; a connection that does not end by then is cut.
        Thread waiter = new Thread(process::waitFor, "ssh-close");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(CLOSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (waiter.isAlive()) {
            process.kill();
        }
    }

    private static Thread pump(BufferedReader reader, Consumer<String> sink, boolean signalEnd) {
        Thread thread = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The stream ends with the process; the caller learns it from EOF below.
            } finally {
                if (signalEnd) {
                    sink.accept(EOF);
                }
            }
        }, "ssh-stream");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
