package kr.everbit.deploy.cli;

import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.flow.Rollback;
import kr.everbit.deploy.engine.flow.RollbackRequest;
import kr.everbit.deploy.engine.flow.UpResult;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import kr.everbit.deploy.engine.swarm.SwarmRollback;
import kr.everbit.deploy.engine.swarm.SwarmStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollback", mixinStandardHelpOptions = true, description = "Run an earlier release again, from the image kept on the VM when it is there.")
final class RollbackCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConnectionOptions conn;

    @Mixin
    ComposeOptions compose;

    @Mixin
    TargetOptions target;

    @Option(names = "--to", required = true, paramLabel = "SHA|previous",
            description = "The release to run: a SHA, or 'previous' (the last healthy one before the current).")
    String to;

    @Option(names = "--reason", description = "Why, for the ledger.")
    String reason;

    @Option(names = "--failed-checks", paramLabel = "SHA",
            description = "SHA, the running release, failed its checks: record that first, so 'previous' skips it later."
                    + " When the ledger's current release is not SHA any more, nothing is changed (exit 1).")
    String failedChecks;

    @Mixin
    RegistryOptions registry;

    @Mixin
    PullTokenOptions pull;

    @Mixin
    ReleaseOptions release;

    @Mixin
    ProxyOptions proxy;

    @Override
    public Integer call() {
        Context ctx = main.context();
        Rollback.validateTarget(to);
        if (target.swarm()) {
            return swarm(ctx);
        }
        ComposeProject project = compose.project(conn.dir);
        Connection connection = conn.connection();
        RollbackRequest request = new RollbackRequest(release.lockTimeout, release.healthTimeout, Actor.of(release.actor),
                reason, registry.vmLogin(pull, System.in, ctx), failedChecks);
        ProxySettings switching = proxy.settings();
        StartRules starting = release.startRules();
        UpResult result = VmOpener.withVm(ctx, connection, project, release.dryRun, vm -> {
            ProxyOptions.apply(vm, switching);
            vm.useStartRules(starting);
            return new Rollback(ctx.progress).run(vm, to, request);
        });
        ctx.out.println(result.current());
        return 0;
    }

    private int swarm(Context ctx) {
        SwarmStack stack = target.stack(conn.dir, compose);
        TargetOptions.refuse(proxy.settings() != null, "--switch proxy (the swarm's update_config replaces tasks)");
        TargetOptions.refuse(release.dryRun, "--dry-run");
        release.startRules();
        Connection connection = conn.connection();
        RollbackRequest request = new RollbackRequest(release.lockTimeout, release.healthTimeout, Actor.of(release.actor),
                reason, registry.vmLogin(pull, System.in, ctx), failedChecks);
        UpResult result = TargetOptions.withManager(ctx, connection, stack,
                manager -> new SwarmRollback(ctx.progress).run(manager, to, request));
        ctx.out.println(result.current());
        return 0;
    }
}
