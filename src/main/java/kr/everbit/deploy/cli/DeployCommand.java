package kr.everbit.deploy.cli;

import java.util.List;
import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.flow.ComposeUp;
import kr.everbit.deploy.engine.flow.GuardedDeploy;
import kr.everbit.deploy.engine.flow.GuardedDeployRequest;
import kr.everbit.deploy.engine.flow.GuardedDeployResult;
import kr.everbit.deploy.engine.flow.OnFirstFailure;
import kr.everbit.deploy.engine.flow.RolledBackException;
import kr.everbit.deploy.engine.flow.UpRequest;
import kr.everbit.deploy.engine.flow.VerifyFailedException;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.flow.VerifyReport;
import kr.everbit.deploy.engine.health.HealthScripts;
import kr.everbit.deploy.engine.health.Probe;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import kr.everbit.deploy.engine.swarm.SwarmDeploy;
import kr.everbit.deploy.engine.swarm.SwarmStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "up, then verify; a release that fails its checks is rolled back to the previous healthy one (exit 3).")
final class DeployCommand implements Callable<Integer> {
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

    @Mixin
    ProbeOptions probes;

    @Option(names = "--on-first-failure", defaultValue = "keep", paramLabel = "stop|keep",
            description = "A first release that fails its checks has nothing to roll back to: leave it running or stop it"
                    + " (default: ${DEFAULT-VALUE}).")
    String onFirstFailure;

    @Override
    public Integer call() {
        Context ctx = main.context();
        Release wanted = Release.of(sha);
        ProbePlan plan = probes.plan();
        VerifyOptions verify = probes.verifyOptions();
        OnFirstFailure firstFailure = OnFirstFailure.of(onFirstFailure);
        if (target.swarm()) {
            return swarm(ctx, wanted, plan, verify, firstFailure);
        }
        ComposeProject project = compose.project(conn.dir);
        UpRequest up = release.upRequest(wanted, registry.vmLogin(pull, System.in, ctx));
        GuardedDeployRequest request = new GuardedDeployRequest(up, verify, firstFailure);
        ProxySettings switching = proxy.settings();
        StartRules starting = release.startRules();
        ReportPrinter.prepare(probes.json);
        GuardedDeployResult result;
        try {
            result = VmOpener.withVm(ctx, conn.connection(), project, release.dryRun, vm -> {
                ProxyOptions.apply(vm, switching);
                vm.useStartRules(starting);
                List<Probe> checks = plan.build(vm.shell(), new HealthScripts(vm.scripts()));
                if (release.dryRun) {
                    new ComposeUp(ctx.progress).run(vm, up);
                    checks.forEach(p -> ctx.out.println("# then verify: " + p.name()));
                    return null;
                }
                return new GuardedDeploy(ctx.progress).run(vm, checks, request);
            });
        } catch (VerifyFailedException e) {
            printFailure(ctx, e);
            throw e;
        }
        if (result != null) {
            printSuccess(ctx, result);
        }
        return 0;
    }

    /** The same deploy on a swarm: the probes run once every task runs the release. */
    private int swarm(Context ctx, Release wanted, ProbePlan plan, VerifyOptions verify, OnFirstFailure firstFailure) {
        SwarmStack stack = target.stack(conn.dir, compose);
        TargetOptions.refuse(proxy.settings() != null, "--switch proxy (the swarm's update_config replaces tasks)");
        TargetOptions.refuse(release.dryRun, "--dry-run");
        TargetOptions.refuse(!probes.containers.isEmpty(), "--container (the tool waits until every task of the service runs)");
        TargetOptions.refuse(firstFailure == OnFirstFailure.STOP, "--on-first-failure stop");
        TargetOptions.refuse(probes.report || !probes.logs.isEmpty(), "--report and --logs (see everbit-deploy status --target swarm)");
        release.startRules();
        UpRequest up = release.upRequest(wanted, registry.vmLogin(pull, System.in, ctx));
        GuardedDeployRequest request = new GuardedDeployRequest(up, verify, firstFailure);
        ReportPrinter.prepare(probes.json);
        GuardedDeployResult result;
        try {
            result = TargetOptions.withManager(ctx, conn.connection(), stack, manager ->
                    new SwarmDeploy(ctx.progress).run(manager, plan.build(manager.shell(), null), request));
        } catch (VerifyFailedException e) {
            printFailure(ctx, e);
            throw e;
        }
        printSuccess(ctx, result);
        return 0;
    }

    private void printSuccess(Context ctx, GuardedDeployResult result) {
        if (probes.json) {
            ReportPrinter.deployJson(ctx.out, sha, result.deployed().current(), 0, null, List.of(result.verify()));
            return;
        }
        if (probes.report) {
            ReportPrinter.table(ctx.err, result.verify());
        }
        ctx.out.println(result.deployed().current() + (result.deployed().digest() == null ? "" : " " + result.deployed().digest()));
    }

    /** The tables (or JSON) of every verify the deploy ran; the error paragraph itself is printed by Main. */
    private void printFailure(Context ctx, VerifyFailedException e) {
        String running = e instanceof RolledBackException back ? back.runningSha() : null;
        if (probes.json) {
            ReportPrinter.deployJson(ctx.out, sha, running, e.exitCode(), ctx.masker.mask(e.getMessage()), e.reports());
            return;
        }
        for (VerifyReport report : e.reports()) {
            ReportPrinter.table(ctx.err, report);
            ctx.err.println();
        }
    }
}
