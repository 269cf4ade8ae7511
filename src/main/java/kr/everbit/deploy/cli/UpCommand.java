package kr.everbit.deploy.cli;

import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.flow.ComposeUp;
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
}
