package kr.everbit.deploy.cli;

import kr.everbit.deploy.engine.dryrun.DryRunSession;
import kr.everbit.deploy.engine.flow.Connection;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.ssh.SshCommands;

/** Opens the one SSH session a command uses, or, for a dry run, prints it and every script instead. */
final class VmOpener {
    private VmOpener() {
    }

    static Vm open(Context ctx, Connection connection, ComposeProject project, boolean dryRun) {
        if (dryRun) {
            ctx.out.println("$ " + kr.everbit.deploy.engine.exec.Command.of(SshCommands.session(connection.target())).display());
            return Vm.open(new DryRunSession(line -> ctx.out.println(ctx.masker.mask(line))), null, project, ctx.masker, ctx.progress);
        }
        Vm vm = Vm.connect(ctx.executor(false), connection, project, ctx.progress, ctx.masker);
        // Ctrl-C ends the JVM: end the session with it so the VM's shell exits and its deploy lock is released.
        Thread hook = new Thread(vm::close, "close-ssh-session");
        Runtime.getRuntime().addShutdownHook(hook);
        return vm;
    }
}
