package kr.everbit.deploy.cli;

import java.io.PrintStream;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.MaskingProgress;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.dryrun.DryRunExecutor;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.LocalExecutor;

/** What every subcommand shares: where results and progress go, the masker, and the executor (real or dry run). */
final class Context {
    final PrintStream out;
    final PrintStream err;
    final Masker masker = new Masker();
    final Progress progress;

    Context(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.progress = new MaskingProgress(new ConsoleProgress(err), masker);
    }

    Executor executor(boolean dryRun) {
        return dryRun ? new DryRunExecutor(line -> out.println(masker.mask(line))) : new LocalExecutor();
    }
}
