package kr.everbit.deploy.engine.swarm;

import static kr.everbit.deploy.engine.Shell.quote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.remote.RemoteScript;

/**
 * The scripts the engine runs on a Swarm manager, as data: each one the functions of {@code swarm.sh} (a resource
 * beside this class, checked by {@code sh -n} and shellcheck in its test) followed by one call with quoted values.
 * The registry token reaches {@code docker login} through a pipe from the shell's builtin {@code printf}, in a
 * script that travels over the SSH channel's stdin: it is in no process's arguments.
 */
public final class SwarmScripts {
    /** The functions, read once. */
    static final String LIBRARY = load();
    public static final int MISSING = 66;
    public static final int NOT_A_MANAGER = 69;
    public static final int LOCKED = 75;
    /** A stack deploy does not wait for the rollout (the engine observes it): a minute covers a slow manager. */
    private static final int DEPLOY_LIMIT_SECONDS = 180;
    private final SwarmStack stack;

    public SwarmScripts(SwarmStack stack) {
        this.stack = stack;
    }

    private static String load() {
        try (InputStream in = SwarmScripts.class.getResourceAsStream("swarm.sh")) {
            if (in == null) {
                throw new IllegalStateException("swarm.sh is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String call(String function, List<String> args) {
        StringBuilder line = new StringBuilder(function);
        args.forEach(a -> line.append(' ').append(quote(a)));
        return line.toString();
    }

    private static String body(String... lines) {
        return LIBRARY + "\n" + String.join("\n", lines) + "\n";
    }

    /** In the deploy dir: a missing one exits {@value #MISSING}. */
    private String inDir(String command) {
        return "# shellcheck disable=SC2088 # a quoted ~ is the operator's, expanded by everbit_swarm_cd\n"
                + call("everbit_swarm_cd", List.of(stack.dir())) + " || exit " + MISSING + "\n" + command;
    }

    public RemoteScript manager() {
        return RemoteScript.quiet("check that this is a Swarm manager", body("everbit_swarm_manager"));
    }

    public RemoteScript files() {
        return RemoteScript.quiet("check the compose files", body(inDir(call("everbit_swarm_files", stack.files()))));
    }

    public RemoteScript lock(String holder, int limitSeconds, int timeoutSeconds) {
        return RemoteScript.quiet("take the stack's deploy lock",
                body(call("everbit_swarm_lock", List.of(stack.lockName(), holder, String.valueOf(limitSeconds),
                        String.valueOf(timeoutSeconds))))).withLimit(timeoutSeconds + RemoteScript.DEFAULT_LIMIT_SECONDS);
    }

    public RemoteScript unlock(String id) {
        return RemoteScript.quiet("release the stack's deploy lock", body(call("everbit_swarm_unlock", List.of(stack.lockName(), id))));
    }

    public RemoteScript lockHeld() {
        return RemoteScript.quiet("read the stack's deploy lock", body(call("everbit_swarm_lock_held", List.of(stack.lockName()))));
    }

    public RemoteScript ledger() {
        return RemoteScript.quiet("read the ledger", body(call("everbit_swarm_ledger", List.of(stack.ledgerKey()))));
    }

    public RemoteScript record(int number, String json) {
        return RemoteScript.quiet("record in the ledger",
                body(call("everbit_swarm_record", List.of(stack.ledgerKey(), stack.ledgerName(number), json))));
    }

    /** Writes the pin override naming {@code image} (a release image, checked by the caller). */
    public RemoteScript pin(String image) {
        List<String> args = new ArrayList<>(List.of(stack.service(), image));
        args.addAll(stack.files());
        return RemoteScript.quiet("write the pin " + image, body(inDir(call("everbit_swarm_pin", args))));
    }

    /** docker stack deploy of the operator's files and the pin; with {@code login}, logged in for this one command. */
    public RemoteScript deploy(RegistryLogin login) {
        List<String> args = new ArrayList<>(List.of(stack.stack(), stack.image().registry(), login == null ? "-" : login.user()));
        args.addAll(stack.files());
        String call = call("everbit_swarm_deploy", args);
        String label = "docker stack deploy " + stack.stack();
        if (login == null) {
            return RemoteScript.of(label, body(inDir(call + " </dev/null"))).withLimit(DEPLOY_LIMIT_SECONDS);
        }
        return RemoteScript.of(label, body(inDir("printf '%s\\n' " + quote(login.token().reveal()) + " | " + call)))
                .withSecret(login.token()).withLimit(DEPLOY_LIMIT_SECONDS);
    }

    public RemoteScript state() {
        return RemoteScript.quiet("read the service's state", body(call("everbit_swarm_state", List.of(stack.swarmService()))));
    }
}
