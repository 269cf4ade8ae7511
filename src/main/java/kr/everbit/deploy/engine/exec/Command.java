package kr.everbit.deploy.engine.exec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.Shell;

/**
 * A process to run, as data: argv, extra environment, optional secret stdin, and an optional time limit after which
 * the executor ends it. Secrets travel only through {@link #stdin()}, never through argv or the environment, where
 * {@code ps} and {@code /proc} would show them.
 */
public record Command(List<String> argv, Map<String, String> env, Secret stdin, Duration limit) {

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    public Command(List<String> argv, Map<String, String> env, Secret stdin) {
        this(argv, env, stdin, null);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), null);
    }

    public Command withEnv(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(name, value);
        return new Command(argv, more, stdin, limit);
    }

    public Command withStdin(Secret secret) {
        return new Command(argv, env, secret, limit);
    }

    /** The process is ended when it still runs after {@code limit}; its result is then a failure. */
    public Command withLimit(Duration limit) {
        return new Command(argv, env, stdin, limit);
    }

    /** The command as a person would type it; stdin is shown only as a marker. */
    public String display() {
        String envPart = env.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + Shell.quote(e.getValue()) + " ")
                .collect(Collectors.joining());
        String line = envPart + argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
        return stdin == null ? line : line + " <<< " + Secret.MASK;
    }
}
