package kr.everbit.deploy.engine.dryrun;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.Result;
import kr.everbit.deploy.engine.exec.RunningProcess;

/** Prints each command exactly as it would run (secrets appear only as the stdin marker) and runs nothing. */
public final class DryRunExecutor implements Executor {
    /** What a dry run's {@code mktemp -d} "creates", so the commands after it read naturally. */
    public static final String TEMP_DIR = "$TMPDIR/everbit.XXXXXX";
    private final Consumer<String> out;

    public DryRunExecutor(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public Result run(Command command, Consumer<String> lines) {
        out.accept("$ " + command.display());
        boolean mktemp = command.argv().get(0).equals("mktemp");
        return new Result(0, mktemp ? TEMP_DIR + "\n" : "", "");
    }

    @Override
    public RunningProcess start(Command command) {
        out.accept("$ " + command.display());
        return new RunningProcess() {
            @Override
            public OutputStream stdin() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream stdout() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public InputStream stderr() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public int waitFor() {
                return 0;
            }

            @Override
            public void kill() {
                // Nothing was started.
            }
        };
    }
}
