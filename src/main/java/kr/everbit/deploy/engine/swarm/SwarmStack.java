package kr.everbit.deploy.engine.swarm;

import java.util.List;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The operator's stack on a Swarm: the deploy dir on the manager, exactly the operator's compose files in their order
 * ({@code docker stack deploy -c ...}), the service this tool releases, its image repository, and the stack's name.
 * The lock and the ledger are Swarm configs named after the stack's service, so that every manager sees them.
 */
public record SwarmStack(String dir, List<String> files, String service, ImageRef image, String stack) {
    /** Lowercase, as Docker names a stack's services and networks after it; short enough for the configs' names. */
    private static final Pattern STACK = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    /** Docker refuses a config name longer than this. */
    private static final int CONFIG_NAME_MAX = 64;
    /** The ledger configs' names end in the entry's number, zero-padded to this width, so that names sort as numbers. */
    static final int NUMBER_WIDTH = 6;

    public SwarmStack {
        ComposeProject.checkDir(dir);
        // status reads the cluster's state and needs no compose file; a deploy checks that it has them (requireFiles)
        files = files == null || files.isEmpty() ? List.of() : ComposeProject.checkFiles(files);
        ComposeProject.checkService(service);
        checkStack(stack);
        if (image == null) {
            throw new InvalidInputException(Setting.IMAGE.ref() + " is required");
        }
        String longest = ledgerName(stack + "_" + service, 0);
        if (longest.length() > CONFIG_NAME_MAX) {
            throw new InvalidInputException(Setting.STACK.ref() + " and " + Setting.SERVICE.ref() + " together are too long"
                    + " for the cluster's ledger (" + longest + " is over " + CONFIG_NAME_MAX + " characters)");
        }
    }

    /** The compose files, for a command that deploys: at least one. */
    List<String> requireFiles() {
        return ComposeProject.checkFiles(files);
    }

    /** The rule for {@link Setting#STACK} alone. */
    public static String checkStack(String stack) {
        if (stack == null || !STACK.matcher(stack).matches()) {
            throw new InvalidInputException(Setting.STACK.ref() + " '" + Printable.of(stack) + "' is not a stack name:"
                    + " lowercase letters, digits, '_' and '-', at most 40, starting with a letter or digit");
        }
        return stack;
    }

    /** The service's name in the swarm: {@code STACK_SERVICE}. */
    public String swarmService() {
        return stack + "_" + service;
    }

    /** The label value that marks this service's ledger configs. */
    String ledgerKey() {
        return swarmService();
    }

    String lockName() {
        return "everbit." + swarmService() + ".lock";
    }

    String ledgerName(int number) {
        return ledgerName(swarmService(), number);
    }

    private static String ledgerName(String key, int number) {
        return "everbit." + key + "." + String.format("%0" + NUMBER_WIDTH + "d", number);
    }

    /** The ledger entry's number in a config name this stack's ledger would use, or -1 for any other name. */
    int ledgerNumber(String name) {
        String prefix = "everbit." + swarmService() + ".";
        if (name == null || !name.startsWith(prefix) || name.length() != prefix.length() + NUMBER_WIDTH
                || !name.substring(prefix.length()).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(name.substring(prefix.length()));
    }
}
