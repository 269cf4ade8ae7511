package kr.everbit.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.dryrun.DryRunSession;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.flow.Status;
import kr.everbit.deploy.engine.flow.StatusReport;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteSession;
import kr.everbit.deploy.engine.ssh.SshCommands;
import kr.everbit.deploy.engine.ssh.SshSession;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.swarm.ServiceState;
import kr.everbit.deploy.engine.swarm.SwarmStack;
import kr.everbit.deploy.engine.swarm.SwarmStatus;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@picocli.CommandLine.Command(name = "status", mixinStandardHelpOptions = true, description = "The current and previous release and the history, from the VM's ledger.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConnectionOptions conn;

    @Option(names = "--json", description = "Print one JSON object: current, previous, pinnedImage, history, live, warm.")
    boolean json;

    @Option(names = "--dry-run", description = "Print the ssh command and the script, run nothing.")
    boolean dryRun;

    @Mixin
    TargetOptions target;

    @Option(names = "--service", paramLabel = "NAME", description = "--target swarm: the service released (Everbit: server).")
    String service;

    @Option(names = "--image", paramLabel = "REPO", description = "--target swarm: its image repository, without tag.")
    String image;

    @Override
    public Integer call() throws JsonProcessingException {
        Context ctx = main.context();
        if (target.swarm()) {
            return swarm(ctx);
        }
        ComposeProject.checkDir(conn.dir);
        Connection connection = conn.connection();
        StatusReport report;
        try (RemoteSession session = open(ctx, connection)) {
            report = new Status().run(session, conn.dir);
        }
        if (json) {
            ctx.out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            print(ctx, report);
        }
        return 0;
    }

    /** The cluster's ledger and what the swarm runs, per task and node, read through the manager --host names. */
    private int swarm(Context ctx) throws JsonProcessingException {
        TargetOptions.refuse(dryRun, "--dry-run");
        if (service == null || image == null) {
            throw new InvalidInputException("--target swarm needs --service NAME and --image REPO");
        }
        SwarmStack stack = new SwarmStack(conn.dir, List.of(), service, ImageRef.of(image), target.stack);
        SwarmStatus.Report report = TargetOptions.withManager(ctx, conn.connection(), stack, m -> new SwarmStatus().run(m));
        if (json) {
            ctx.out.println(new ObjectMapper().writeValueAsString(report));
            return 0;
        }
        ctx.out.println("current:  " + orNone(report.current()));
        ctx.out.println("previous: " + orNone(report.previous()));
        ctx.out.println("service:  " + stack.swarmService() + " " + (report.image() == null ? "(no release image)" : report.image())
                + ", update " + (report.update().isEmpty() ? "none" : report.update()) + ", " + report.running() + "/"
                + report.desired() + " running" + (report.message().isEmpty() || report.message().equals("update " + report.update()) ? ""
                : " (" + report.message() + ")"));
        ctx.out.println("lock:     " + (report.lock() == null ? "(free)" : "held by " + report.lock()));
        ctx.out.println("tasks:");
        for (ServiceState.Task task : report.tasks()) {
            ctx.out.printf("  %-20s %-60s %s%s%n", task.node().isEmpty() ? "(no node)" : task.node(),
                    task.image() == null ? "(another image)" : task.image(), task.state(),
                    task.error().isEmpty() ? "" : "  (" + task.error() + ")");
        }
        printHistory(ctx, report.history());
        report.warnings().forEach(w -> ctx.out.println("WARNING: " + OptionNames.render(w)));
        return 0;
    }

    private RemoteSession open(Context ctx, Connection connection) {
        if (dryRun) {
            ctx.out.println("$ " + Command.of(SshCommands.session(connection.target())).display());
            return new DryRunSession(ctx.out::println);
        }
        return SshSession.open(ctx.executor(false), connection.target(), null, ctx.progress::output);
    }

    private static void print(Context ctx, StatusReport report) {
        ctx.out.println("current:  " + orNone(report.current()));
        ctx.out.println("previous: " + orNone(report.previous()));
        ctx.out.println("pinned:   " + orNone(report.pinnedImage()));
        if (report.live() != null) {
            ctx.out.println("live:     " + report.live().image() + " in " + report.live().service() + " at "
                    + report.live().address() + " (Nginx sends to it)");
            ctx.out.println("warm:     " + (report.warm() == null ? "(none)" : report.warm().image() + " in "
                    + report.warm().service() + " until " + report.warm().until() + " (out of rotation; a rollback to it is a swap)"));
        }
        printHistory(ctx, report.history());
        report.warnings().forEach(w -> ctx.out.println("WARNING: " + OptionNames.render(w)));
    }

    private static void printHistory(Context ctx, List<LedgerEntry> history) {
        ctx.out.println("history (newest first):");
        for (int i = history.size() - 1; i >= 0; i--) {
            LedgerEntry e = history.get(i);
            ctx.out.printf("  %-24s %-8s %-7s %s  by %s%s%n", e.at(), e.action(), e.result(), e.sha(), e.actor(),
                    e.reason() == null ? "" : "  (" + e.reason() + ")");
        }
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }
}
