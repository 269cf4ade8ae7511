package kr.everbit.deploy.cli;

import java.util.function.Function;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.swarm.SwarmManager;
import kr.everbit.deploy.engine.swarm.SwarmStack;
import picocli.CommandLine.Option;

/** TARGET: Docker Compose on the VM (the default), or a Docker Swarm reached through the manager --host names. */
final class TargetOptions {
    @Option(names = "--target", defaultValue = "compose", paramLabel = "compose|swarm",
            description = "compose: the VM runs the service with Docker Compose; swarm: --host is a Swarm manager and the"
                    + " service is deployed with docker stack deploy (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--stack", paramLabel = "NAME", description = "--target swarm: the stack's name (docker stack deploy ... NAME).")
    String stack;

    /** True for target swarm; checked before anything is contacted. */
    boolean swarm() {
        boolean swarm = Setting.TARGET.choice(target).equals("swarm");
        if (swarm && stack == null) {
            throw new InvalidInputException("--target swarm needs --stack NAME");
        }
        if (!swarm && stack != null) {
            throw new InvalidInputException("--stack is for --target swarm");
        }
        return swarm;
    }

    SwarmStack stack(String dir, ComposeOptions compose) {
        return new SwarmStack(dir, compose.files, compose.service, ImageRef.of(compose.image), stack);
    }

    /** What target swarm does not do (yet), refused before anything is contacted. */
    static void refuse(boolean condition, String what) {
        if (condition) {
            throw new InvalidInputException(what + " is not available with --target swarm");
        }
    }

    /** Runs work over one session with the manager; Ctrl-C ends the session (the lock then expires by itself). */
    static <T> T withManager(Context ctx, Connection connection, SwarmStack stack, Function<SwarmManager, T> work) {
        try (SwarmManager manager = SwarmManager.connect(ctx.executor(false), connection, stack, ctx.progress, ctx.masker)) {
            Thread hook = new Thread(manager::abort, "abort-ssh-session");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return work.apply(manager);
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }
}
