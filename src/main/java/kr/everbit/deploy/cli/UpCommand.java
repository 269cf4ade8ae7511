package kr.everbit.deploy.cli;

import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.Release;
import java.util.List;
import kr.everbit.deploy.engine.flow.ComposeUp;
import kr.everbit.deploy.engine.flow.GuardedDeployRequest;
import kr.everbit.deploy.engine.swarm.SwarmDeploy;
import kr.everbit.deploy.engine.swarm.SwarmStack;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.flow.UpRequest;
import kr.everbit.deploy.engine.flow.UpResult;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "up", mixinStandardHelpOptions = true, description = "On the VM: lock, pull, pin REPO:SHA, compose up, wait healthy, record, prune.")
final class UpCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConnectionOptions conn;

    @Mixin
    ComposeOptions compose;

    @Mixin
    TargetOptions target;

    @Option(names = "--sha", required = true, description = "The release to deploy (7-40 lowercase hex).")
    String sha;

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
        Release wanted = Release.of(sha);
        if (target.swarm()) {
            return swarm(ctx, wanted);
        }
        ComposeProject project = compose.project(conn.dir);
        Connection connection = conn.connection();
        RegistryLogin login = registry.vmLogin(pull, System.in, ctx);
        UpRequest request = release.upRequest(wanted, login);
        ProxySettings switching = proxy.settings();
        StartRules starting = release.startRules();
        UpResult result = VmOpener.withVm(ctx, connection, project, release.dryRun, vm -> {
            ProxyOptions.apply(vm, switching);
            vm.useStartRules(starting);
            return new ComposeUp(ctx.progress).run(vm, request);
        });
        ctx.out.println(result.current() + (result.digest() == null ? "" : " " + result.digest()));
        return 0;
    }

    /** The same release on a swarm: the swarm rolls it out, the tool waits until every task runs it. */
    private int swarm(Context ctx, Release wanted) {
        SwarmStack stack = target.stack(conn.dir, compose);
        TargetOptions.refuse(proxy.settings() != null, "--switch proxy (the swarm's update_config replaces tasks)");
        TargetOptions.refuse(release.dryRun, "--dry-run");
        release.startRules();
        Connection connection = conn.connection();
        RegistryLogin login = registry.vmLogin(pull, System.in, ctx);
        UpRequest request = release.upRequest(wanted, login);
        UpResult result = TargetOptions.withManager(ctx, connection, stack, manager ->
                new SwarmDeploy(ctx.progress).run(manager, List.of(), new GuardedDeployRequest(request, null, null)).deployed());
        ctx.out.println(result.current() + (result.digest() == null ? "" : " " + result.digest()));
        return 0;
    }
}
