package kr.everbit.deploy.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kr.everbit.deploy.engine.EverbitException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The method-A door: {@code everbit-deploy SUBCOMMAND ...}. Exit 0 ok, 1 failure, 2 invalid input, 3 rolled back. */
@Command(name = "everbit-deploy", mixinStandardHelpOptions = true, version = "everbit-deploy 0.1",
        description = "Deploy a git-SHA-tagged image to one VM with Docker Compose, verify it, roll it back.")
public final class Main {
    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(BuildCommand.class, PushCommand.class, UpCommand.class,
            RollbackCommand.class, StatusCommand.class, VerifyCommand.class, DeployCommand.class);

    // Inherited: every subcommand takes it too (status --config FILE).
    @CommandLine.Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "YAML file supplying any option by its long name (flags given here win).")
    String config;

    /** How long an ended command may take to clean up: each cleanup process has 5 s (logout, then the removal). */
    private static final int CLEANUP_SECONDS = 15;
    private Context context;

    Context context() {
        return context;
    }

    public static void main(String[] args) {
        Thread command = Thread.currentThread();
        CountDownLatch ended = new CountDownLatch(1);
        // SIGTERM or SIGINT ends the JVM once its shutdown hooks return, without unwinding the command: its finally
        // blocks (the temporary docker config that holds a registry token, the private ssh-agent) would never run. The
        // hook interrupts the command, as a Jenkins abort does, and waits, bounded, until it has cleaned up.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            command.interrupt();
            try {
                ended.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "end-the-command"));
        int code;
        try {
            code = run(args, System.out, System.err);
        } finally {
            ended.countDown();
        }
        System.exit(code);
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        JsonWarmUp.start();
        Main main = new Main();
        main.context = new Context(out, err);
        CommandLine cli = commandLine(main, args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        try {
            ConfigDefaults.fromArgs(args, () -> commandLine(new Main(), new String[0]).getCommandSpec())
                    .ifPresent(cli::setDefaultValueProvider);
        } catch (EverbitException e) {
            err.println("everbit-deploy: " + OptionNames.render(e.getMessage()));
            return e.exitCode();
        }
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            String message = main.context.masker.mask(OptionNames.render(e.getMessage()));
            if (e instanceof EverbitException known) {
                err.println("everbit-deploy: " + message);
                return known.exitCode();
            }
            err.println("everbit-deploy: unexpected " + e.getClass().getSimpleName() + ": " + message);
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name when they start with one (picocli reads
     * every subcommand's options by reflection, a tenth of a second of every rollback), else with all of them (help,
     * or options before the subcommand).
     */
    static CommandLine commandLine(Main main, String[] args) {
        CommandLine cli = new CommandLine(main);
        boolean named = args.length > 0 && SUBCOMMANDS.stream().anyMatch(s -> name(s).equals(args[0]));
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (!named || name(subcommand).equals(args[0])) {
                cli.addSubcommand(name(subcommand), subcommand);
            }
        }
        return cli;
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }
}
