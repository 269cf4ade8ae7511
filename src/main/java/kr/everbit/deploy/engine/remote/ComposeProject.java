package kr.everbit.deploy.engine.remote;

import java.util.List;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The operator's compose project on the VM: the deploy dir, exactly the operator's {@code -f} files in their order,
 * the service this tool releases and its image repository. Compose is always run in {@code dir} with these files
 * (plus the tool's pin file last), so the tool manages the same containers as the standard's commands typed by hand.
 */
public record ComposeProject(String dir, List<String> files, String service, ImageRef image) {
    private static final Pattern SERVICE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    /** The tool-owned folder inside the deploy dir: the pin file, the ledger and the lock live here. */
    public static final String STATE_DIR = ".everbit";
    public static final String PIN_FILE = STATE_DIR + "/pin.yaml";
    public static final String NEXT_PIN_FILE = STATE_DIR + "/pin.next.yaml";
    public static final String LEDGER_FILE = STATE_DIR + "/releases.jsonl";
    /** Present only while a release switch is in flight: what to record when it is interrupted (see RemoteScripts). */
    public static final String INFLIGHT_FILE = STATE_DIR + "/inflight";
    /** The pin to put back when an in-flight switch is interrupted; absent when there is nothing to put back. */
    public static final String RESTORE_PIN_FILE = STATE_DIR + "/pin.restore.yaml";
    /** In proxy mode, the shell the VM sources to restore an interrupted switch (written with the in-flight file). */
    public static final String PROXY_RESTORE_FILE = STATE_DIR + "/proxy.restore";
    /** In proxy mode, the compose override that defines the slots (the service's blue and green copies). */
    public static final String SLOTS_FILE = STATE_DIR + "/slots.yaml";
    /** What the VM side did on its own after a command was interrupted. */
    public static final String RECOVERY_LOG = STATE_DIR + "/recovery.log";

    public ComposeProject {
        checkDir(dir);
        files = checkFiles(files);
        checkService(service);
    }

    /** The rule for {@link Setting#DIR} alone (a form checks one field). */
    public static String checkDir(String dir) {
        requirePrintable(Setting.DIR.ref(), dir);
        if (dir.isBlank()) {
            throw new InvalidInputException(Setting.DIR.ref() + " must name the deploy directory on the VM");
        }
        return dir;
    }

    /** The rule for {@link Setting#COMPOSE} alone. */
    public static List<String> checkFiles(List<String> files) {
        if (files == null || files.isEmpty()) {
            throw new InvalidInputException(Setting.COMPOSE.ref() + " must be given at least once (e.g. docker/compose.yaml)");
        }
        for (String file : files) {
            requirePrintable(Setting.COMPOSE.ref(), file);
            if (file.isBlank() || file.startsWith("/") || file.startsWith("~") || List.of(file.split("/")).contains("..")) {
                throw new InvalidInputException(Setting.COMPOSE.ref() + " '" + Printable.of(file) + "' must be a path relative to "
                        + Setting.DIR.ref() + ", without '..' (e.g. docker/compose.yaml)");
            }
        }
        return List.copyOf(files);
    }

    /** The rule for {@link Setting#SERVICE} alone. */
    public static String checkService(String service) {
        if (service == null || !SERVICE.matcher(service).matches()) {
            throw new InvalidInputException(Setting.SERVICE.ref() + " '" + Printable.of(service)
                    + "' is not a compose service name (letters, digits, '_', '.', '-')");
        }
        return service;
    }

    private static void requirePrintable(String option, String value) {
        if (value == null) {
            throw new InvalidInputException(option + " is required");
        }
        for (char c : value.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw new InvalidInputException(option + " '" + Printable.of(value) + "' contains a control character");
            }
        }
    }
}
