package kr.everbit.deploy.engine.dryrun;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteSession;
import kr.everbit.deploy.engine.remote.ShellResult;
import kr.everbit.deploy.engine.ssh.SshSession;

/**
 * Prints each script the VM would run, masked, as the session sends it (in its subshell or braces, see
 * {@link SshSession#block}), and answers as an empty VM would: no ledger, nothing pinned, every step succeeding. The
 * first is the one a real session runs as it connects: the VM side's library, which the scripts after it call.
 */
public final class DryRunSession implements RemoteSession {
    private final Consumer<String> out;

    public DryRunSession(Consumer<String> out) {
        this(out, null);
    }

    /** With {@code first} (or null) printed with the hello, in one round trip, as a real session sends it. */
    public DryRunSession(Consumer<String> out, RemoteScript first) {
        this.out = out;
        RemoteScript connect = RemoteLibrary.connect(SshSession.SILENCE_SECONDS);
        if (first == null) {
            print(connect.label(), SshSession.hello(connect.masked()));
        } else {
            print(connect.label() + "; " + first.label() + " (in one round trip)",
                    SshSession.hello(connect.masked()) + "\n" + SshSession.block(first.masked(), true));
        }
    }

    @Override
    public ShellResult run(RemoteScript script) {
        return print(script.label(), SshSession.block(script.masked(), false));
    }

    @Override
    public ShellResult runInSession(RemoteScript script) {
        return print(script.label(), SshSession.block(script.masked(), true));
    }

    /** Prints the batch as the session sends it, in one round trip; the end marker stands for the session's own. */
    @Override
    public List<ShellResult> runAll(List<BatchStep> steps, BiConsumer<Integer, ShellResult> answered) {
        print(steps.stream().map(s -> s.script().label()).collect(Collectors.joining("; ")) + " (in one round trip)",
                SshSession.batch(steps, RemoteScript::masked, "__EVERBIT_DONE_marker__"));
        List<ShellResult> answers = steps.stream().map(s -> new ShellResult(0, List.of())).toList();
        for (int i = 0; i < answers.size(); i++) {
            answered.accept(i, answers.get(i));
        }
        return answers;
    }

    private ShellResult print(String label, String text) {
        out.accept("# on the VM: " + label);
        text.lines().forEach(line -> out.accept("    " + line));
        return new ShellResult(0, List.of());
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public void close() {
        out.accept("# end of the SSH session (the deploy lock is released)");
    }
}
