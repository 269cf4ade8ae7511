package kr.everbit.deploy.cli;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import kr.everbit.deploy.engine.dryrun.DryRunSession;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;
import kr.everbit.deploy.engine.ssh.SshCommands;

/** Runs work on the one SSH session a command uses, or, for a dry run, prints it and every script instead. */
final class VmOpener {
    private VmOpener() {
    }

    static <T> T withVm(Context ctx, Connection connection, ComposeProject project, boolean dryRun, Function<Vm, T> work) {
        if (dryRun) {
            ctx.out.println("$ " + Command.of(SshCommands.session(connection.target())).display());
            DryRunSession session = new DryRunSession(line -> ctx.out.println(ctx.masker.mask(line)),
                    new RemoteScripts(project).openProject());
            try (Vm vm = Vm.opened(session, project, new ShellResult(0, List.of()), ctx.masker, ctx.progress)) {
                return work.apply(vm);
            }
        }
        return withVm(() -> Vm.connect(ctx.executor(false), connection, project, ctx.progress, ctx.masker), work);
    }

    /** As above, for real only, with the project found over the session first (verify's recorded compose files). */
    static <T> T withVm(Context ctx, Connection connection, Function<RemoteShell, ComposeProject> project, Function<Vm, T> work) {
        return withVm(() -> Vm.connect(ctx.executor(false), connection, project, ctx.progress, ctx.masker), work);
    }

    private static <T> T withVm(Supplier<Vm> connect, Function<Vm, T> work) {
        try (Vm vm = connect.get()) {
            // Ctrl-C ends the JVM: end the session with it so the VM's shell exits and its deploy lock is released.
            Thread hook = new Thread(vm::abort, "abort-ssh-session");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return work.apply(vm);
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }
}
