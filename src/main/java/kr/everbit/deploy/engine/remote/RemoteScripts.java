package kr.everbit.deploy.engine.remote;

import static kr.everbit.deploy.engine.Shell.call;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.docker.DockerConfig;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The scripts the engine runs on the VM, as data: they only return text and run nothing. Each is a call of a
 * function of the VM side's library ({@link RemoteLibrary}: {@code everbit-session.sh}, which says what each does and
 * why), with every value from outside quoted once by {@link Shell#call}. The one secret (a registry token) is an
 * argument of a shell function, which runs in the VM's shell itself, and reaches {@code docker login} through a pipe
 * from the shell's builtin {@code printf}, so it appears in no process's arguments, on the VM or here.
 */
public final class RemoteScripts {
    /** Exit code of {@link #openProject} when the deploy dir or a compose file is missing. */
    public static final int MISSING = 66;
    /** Exit code of {@link #lock} when the lock stayed taken. */
    public static final int LOCKED = 75;
    /** Exit code of {@link #checkProject} when compose would act on another deploy dir's containers. */
    public static final int CLASH = 65;
    /** Exit code of {@link #openProject} when no compose is installed. */
    public static final int NO_COMPOSE = 127;
    /** Exit code of {@link #recoverLeftover} when the in-flight file is not what the tool writes. */
    public static final int DAMAGED = 68;
    /** What an interrupted recovery decided (its first line: healthy or unhealthy, then the ledger lines), until they are written. */
    static final String RECORD_FILE = ComposeProject.INFLIGHT_FILE + ".record";
    /** Stands for the time of the recovery in the ledger lines of an in-flight switch; replaced when they are written. */
    public static final String RECOVERY_TIME = "@EVERBIT_AT@";
    /** A health wait's time limit over its timeout: compose recreating the container, pulling nothing. */
    private static final int STARTUP_MARGIN_SECONDS = 120;
    private final ComposeProject project;

    public RemoteScripts(ComposeProject project) {
        this.project = project;
    }

    /**
     * Gives the session the project's values, enters the deploy dir, checks the compose files and picks compose v2
     * ({@code docker compose}) or v1 ({@code docker-compose}). Runs in the session's own shell.
     */
    public RemoteScript openProject() {
        return RemoteScript.quiet("open the compose project", String.join("\n",
                call("everbit_configure", project.service(), project.image().repository(), String.join("\n", project.files()),
                        Setting.START_SETTLE.defaultText()),
                call("everbit_open", project.dir())));
    }

    /**
     * Takes the deploy lock for the rest of the session ({@code everbit_lock}), waiting up to {@code timeoutSeconds},
     * and names {@code holder} for others. Runs in the session's own shell, whose descriptor holds the lock.
     */
    public RemoteScript lock(int timeoutSeconds, String holder) {
        return RemoteScript.of("take the deploy lock", call("everbit_lock", String.valueOf(timeoutSeconds), holder));
    }

    /** The ledger, a separator line, the pinned image, a separator, "inflight" when a switch is: all {@code status} needs, for a dir without compose details. */
    public static RemoteScript status(String dir, String separator) {
        ComposeProject.checkDir(dir);
        return RemoteScript.quiet("read the release ledger", call("everbit_status", dir, separator));
    }

    public RemoteScript readLedger() {
        return RemoteScript.quiet("read the release ledger", "everbit_read_ledger");
    }

    /**
     * Appends one JSON line. A ledger whose last line lost its newline (a hand edit, a full disk) gets one first, so
     * the new entry is never glued to the damaged line and lost with it.
     */
    public RemoteScript appendLedger(String jsonLine) {
        return RemoteScript.quiet("record the release", call("everbit_append_ledger", jsonLine));
    }

    /** Prints the image the pin file names now (empty when nothing is pinned yet). */
    public RemoteScript readPin() {
        return RemoteScript.quiet("read the pinned image", call("everbit_pin_image", ComposeProject.PIN_FILE));
    }

    /** Writes the pin for {@code image} to {@code file}, atomically (temporary file, then rename). */
    public RemoteScript writePin(String file, String image) {
        return RemoteScript.quiet("pin " + image, call("everbit_write_pin", file, image));
    }

    /**
     * The images of the service's repository on the VM, one a line: {@code TAG DIGEST} ({@code <none>}: no digest);
     * with {@code release} (else null) only its own lines, found quicker.
     */
    public RemoteScript releaseImages(Release release) {
        return release == null ? RemoteScript.quiet("list the release images on the VM", "everbit_release_images")
                : RemoteScript.quiet("look for " + project.image().tagged(release) + " on the VM",
                        call("everbit_release_images", release.sha()));
    }

    /**
     * Pulls the service's image through compose with {@code pinFile}. With a token, logs in first with a
     * temporary docker config directory that is removed afterwards, also on failure.
     */
    public RemoteScript pull(String pinFile, String registry, String user, Secret token) {
        if (token == null) {
            return RemoteScript.of("pull", call("everbit_pull", pinFile));
        }
        // The config keeps the login in its dir, not in a credential helper docker would pick for an empty config.
        return RemoteScript.of("log in to " + registry + " and pull", call("everbit_pull_logged_in", pinFile, registry, user,
                DockerConfig.keepingLoginsInTheFile(registry), token.reveal())).withSecret(token);
    }

    /** Gives {@code source} (a release pulled by its digest) the tag {@code target} too ({@code everbit_tag}). */
    public RemoteScript tag(String source, String target) {
        return RemoteScript.of("tag " + source + " as " + target, call("everbit_tag", source, target));
    }

    /** The digest the registry gave the image, from the pulled image's RepoDigests. */
    public RemoteScript digest(String image) {
        return RemoteScript.quiet("read the image digest", call("everbit_digest", image));
    }

    /**
     * Starts the service from the pin, then waits until its container runs and, where it has a healthcheck, is
     * healthy, or without one has kept running unrestarted for {@code settleSeconds}, polling every 200 ms up to
     * {@code timeoutSeconds}: {@code everbit_start_wait}. Prints {@code state=STATUS health=HEALTH} last; exits 1 when
     * the service does not get there.
     */
    public RemoteScript startAndWait(int timeoutSeconds, int settleSeconds) {
        return RemoteScript.of("compose up " + project.service() + " and wait until it is healthy",
                call("everbit_start_wait", String.valueOf(timeoutSeconds), String.valueOf(settleSeconds)))
                .withLimit(timeoutSeconds + STARTUP_MARGIN_SECONDS);
    }

    /** Fails ({@link #CLASH}) when this deploy dir's compose project holds another deploy dir's containers. */
    public RemoteScript checkProject() {
        return RemoteScript.quiet("check the compose project", "everbit_project");
    }

    /**
     * Marks a switch as in flight before anything changes ({@code everbit_begin_switch}): {@code writeRestore}, the
     * call that writes what to restore ({@link #writePinCall} of {@link ComposeProject#RESTORE_PIN_FILE}, or a proxy
     * switch's restore file; empty: nothing to restore), then, atomically, the in-flight file: the health timeout and
     * the recovery's limit, what to restore ({@code restore image IMAGE}, {@code restore proxy}, {@code restore none}),
     * and the ledger lines that make an interruption true ({@link #RECOVERY_TIME} for their time), each after
     * {@code healthy } or {@code unhealthy }: whether the restore became healthy decides which are written. Then
     * starts the guardian. Writing it again in the same session replaces what an interruption records. Runs in the
     * session's shell.
     */
    public RemoteScript beginSwitch(List<String> writeRestore, String restore, int healthTimeoutSeconds,
                                    List<String> ifRestored, List<String> ifNotRestored) {
        StringBuilder content = new StringBuilder().append(healthTimeoutSeconds).append(' ')
                .append(recoveryLimit(healthTimeoutSeconds)).append('\n').append("restore ").append(restore).append('\n');
        ifRestored.forEach(l -> content.append("healthy ").append(l).append('\n'));
        ifNotRestored.forEach(l -> content.append("unhealthy ").append(l).append('\n'));
        List<String> args = new ArrayList<>();
        args.add(content.toString());
        args.addAll(writeRestore);
        return RemoteScript.quiet("mark the switch as in flight", call("everbit_begin_switch", args));
    }

    /** The call that writes the pin for {@code image} to {@code file}, for {@link #beginSwitch}. */
    public static List<String> writePinCall(String file, String image) {
        return List.of("everbit_write_pin", file, image);
    }

    /** How long the VM's recovery of a switch may take: compose starting the release again, then its health wait. */
    public static int recoveryLimit(int healthTimeoutSeconds) {
        return healthTimeoutSeconds + STARTUP_MARGIN_SECONDS;
    }

    /**
     * Ends the in-flight switch: records {@code jsonLine} (null: nothing), removes the in-flight file and stops the
     * guardian, the record and the removal together ({@code everbit_end_switch}). Runs in the session's shell.
     */
    public RemoteScript endSwitch(String jsonLine) {
        return RemoteScript.quiet(jsonLine == null ? "end the switch" : "record the release",
                jsonLine == null ? "everbit_end_switch" : call("everbit_end_switch", jsonLine));
    }

    /**
     * Recovers a switch left in flight by a command whose guardian did not finish (the VM rebooted, the guardian was
     * killed): the lock is held now, so nothing else is recovering it. Prints what it restores; exits 1 when the
     * restore did not become healthy, {@link #DAMAGED} when the in-flight file is not what the tool writes.
     */
    public RemoteScript recoverLeftover(int limitSeconds) {
        return RemoteScript.of("recover an interrupted switch", "everbit_recover_leftover").withLimit(limitSeconds);
    }

    /** Stops the service's containers without removing them (a failed first release, on request). */
    public RemoteScript stop() {
        return RemoteScript.of("stop " + project.service(), "everbit_stop");
    }

    /** The last log lines of the service's container, for an error report. */
    public RemoteScript logs(int lines) {
        return RemoteScript.quiet("read the service's logs", call("everbit_logs", String.valueOf(lines)));
    }

    /** The tags of the service's repository present on the VM. */
    public RemoteScript listTags() {
        return RemoteScript.quiet("list retained images", "everbit_list_tags");
    }

    public RemoteScript removeImages(List<String> images) {
        return RemoteScript.of("prune old releases", call("everbit_remove_images", images));
    }
}
