package kr.everbit.deploy.cli;

import java.util.List;
import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.flow.Verify;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.flow.VerifyReport;
import kr.everbit.deploy.engine.health.HealthScripts;
import kr.everbit.deploy.engine.health.Probe;
import kr.everbit.deploy.engine.health.ProbePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Poll the probes until each passes or --timeout ends; exit 0 when all pass, 1 otherwise.")
final class VerifyCommand implements Callable<Integer> {
    private static final String FOR_VM = "for --remote-url, --container, --tcp, --prometheus-via-ssh, --report and --logs";

    @ParentCommand
    Main main;

    @Mixin
    VerifyTarget target;

    @Mixin
    ProbeOptions probes;

    @Option(names = "--dry-run", description = "Print the ssh command and the probes, run nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Context ctx = main.context();
        ProbePlan plan = probes.plan();
        VerifyOptions options = probes.verifyOptions();
        ReportPrinter.prepare(probes.json);
        VerifyReport report;
        if (dryRun) {
            List<Probe> checks = probes.needsVm(plan)
                    ? VmOpener.withVm(ctx, target.connection(FOR_VM), target.givenProject(FOR_VM), true,
                            vm -> plan.build(vm.shell(), new HealthScripts(vm.scripts())))
                    : plan.build(null, null);
            checks.forEach(p -> ctx.out.println("# verify: " + p.name()));
            return 0;
        }
        if (probes.needsVm(plan)) {
            report = VmOpener.withVm(ctx, target.connection(FOR_VM), target.project(FOR_VM),
                    vm -> new Verify(ctx.progress).run(plan.build(vm.shell(), new HealthScripts(vm.scripts())), options, vm));
        } else {
            List<Probe> local = plan.build(null, null);
            report = new Verify(ctx.progress).run(local, options, null);
        }
        if (probes.json) {
            ReportPrinter.json(ctx.out, report);
        } else {
            ReportPrinter.table(ctx.out, report);
        }
        return report.ok() ? 0 : 1;
    }
}
