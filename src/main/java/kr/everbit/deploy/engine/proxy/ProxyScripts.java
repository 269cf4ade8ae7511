package kr.everbit.deploy.engine.proxy;

import static kr.everbit.deploy.engine.Shell.call;

import java.util.List;
import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.engine.remote.StartRules;

/**
 * The VM's scripts of the proxy switch mode, as data: calls of the functions of {@code everbit-proxy.sh} (part of
 * {@link RemoteLibrary}, which says what each does and why), with every value quoted once by {@link Shell#call}. The
 * state of the mode lives in {@link ComposeProject#STATE_DIR}: {@code proxy.live} (the slot Nginx sends to) and
 * {@code proxy.warm} (the release out of rotation that still runs, and until when), one line each:
 * {@code SERVICE IMAGE ADDRESS [EXPIRES]}.
 */
public final class ProxyScripts {
    public static final String LIVE_FILE = ComposeProject.STATE_DIR + "/proxy.live";
    public static final String WARM_FILE = ComposeProject.STATE_DIR + "/proxy.warm";
    public static final String SLOTS_FILE = ComposeProject.SLOTS_FILE;
    /**
     * Exit code of {@link #swap} when Nginx refused the new upstream ({@code nginx -t}), its reload failed, or the
     * reload did not take within {@link #RELOAD_BOUND_SECONDS}.
     */
    public static final int NGINX_REFUSED = 3;
    /**
     * How long a reload may take until every worker of before has stopped accepting; longer is a failed switch. The
     * library's {@code everbit_reload_bound} (a unit test keeps the two the same).
     */
    public static final int RELOAD_BOUND_SECONDS = 30;
    /**
     * How long Nginx may take, once the flag file is flipped, to answer from the new slot; longer is a failed switch.
     * The library's {@code everbit_flip_bound} (a unit test keeps the two the same).
     */
    public static final int FLIP_BOUND_SECONDS = 10;
    private final ProxySettings settings;

    /** The project and its scripts are the session's: the VM side knows them from {@link RemoteScripts#openProject}. */
    public ProxyScripts(ComposeProject project, RemoteScripts scripts, ProxySettings settings) {
        this.settings = settings;
    }

    /**
     * Prints {@code live LINE}, {@code warm LINE}, {@code upstream LINE} for each line of the upstream file, then
     * {@code warm-runs SLOT} when the warm release is {@code image} and runs in its slot, and {@code now EPOCH}; with
     * the switch by a flag also {@code flag present|absent} and {@code served everbit_http_status=CODE everbit_slot=SLOT}
     * (what a request to the confirm URL got through Nginx).
     */
    public RemoteScript readState(String image) {
        ProxyFlag flag = settings.flag();
        return RemoteScript.quiet("read the proxy state", flag == null
                ? call("everbit_proxy_state", settings.upstreamFile(), image)
                : call("everbit_proxy_state", settings.upstreamFile(), image, flag.file(), flag.confirmUrl()));
    }

    /** The proxy mode's live and warm lines, for retention (which must never prune either image). */
    public static RemoteScript readReleases() {
        return RemoteScript.quiet("read the live and warm releases", "everbit_proxy_releases");
    }

    /** The operator's service as compose resolves it from the operator's files (the slots are copied from it). */
    public RemoteScript config() {
        return RemoteScript.quiet("read the compose config", "everbit_proxy_config");
    }

    /**
     * As {@link #config}, unless {@link #readState}, run just before it in the session's shell, found the release warm
     * and running (a swap alone needs no compose call): then it prints nothing.
     */
    public RemoteScript configUnlessWarm() {
        return RemoteScript.quiet("read the compose config unless the release is warm", "everbit_proxy_config unless-warm");
    }

    /** The last log lines of a slot, for an error report. */
    public RemoteScript logs(String slot, int lines) {
        return RemoteScript.quiet("read " + slot + "'s logs", call("everbit_slot_logs", slot, String.valueOf(lines)));
    }

    /** Writes {@code content} to {@code file} atomically (temporary file, then rename). */
    public static RemoteScript writeFile(String label, String file, String content) {
        return RemoteScript.quiet(label, call("everbit_write_file", file, content));
    }

    /**
     * Starts {@code slot} beside the live one and waits until it is healthy, then until it answers at its own address:
     * a TCP connect, and with {@link StartRules#readyPath} a 2xx there (at the address Nginx uses:
     * {@link ProxySettings#host}, else the container's address on its network). All within {@code timeoutSeconds}.
     * Prints {@code state=STATUS health=HEALTH} last.
     */
    public RemoteScript startSlot(Slot slot, String service, int timeoutSeconds, StartRules rules) {
        return RemoteScript.of("compose up " + slot.service(service) + " and wait until it is healthy and answers",
                call("everbit_start_slot", slot.service(service), String.valueOf(timeoutSeconds),
                        String.valueOf(slot.port(settings)), settings.host() == null ? "" : settings.host(),
                        rules.readyPath() == null ? "" : rules.readyPath())).withLimit(timeoutSeconds + 120);
    }

    /** Stops a service's container (gracefully: SIGTERM, then its grace), leaving it for {@code compose ps} and logs. */
    public RemoteScript stop(String service) {
        return RemoteScript.of("stop " + service, call("everbit_slot_stop", service));
    }

    /**
     * Points Nginx at {@code upstream} ({@code everbit_swap}): written atomically, checked by the test command,
     * applied by the reload command, and confirmed once every Nginx worker of before has stopped accepting, at most
     * {@link #RELOAD_BOUND_SECONDS}; else put back, exit {@link #NGINX_REFUSED} with what Nginx said. Only then do the
     * state files name the new live release and the warm one ({@code warmLine} null: none), whose window ends
     * {@code keepSeconds} from now.
     */
    public RemoteScript swap(String upstream, String liveLine, String warmLine, long keepSeconds) {
        return RemoteScript.of("point Nginx at the new release", call("everbit_swap", settings.upstreamFile(),
                settings.testCommand(), settings.reloadCommand(), upstream, liveLine, orEmpty(warmLine),
                String.valueOf(keepSeconds)));
    }

    /**
     * Points Nginx at {@code slot} without a reload ({@code everbit_flip}): the flag file made as {@code slot} needs it,
     * then a request through Nginx to the confirm URL until the answer comes from {@code slot}, at most
     * {@link #FLIP_BOUND_SECONDS}; else the flag put back, exit {@link #NGINX_REFUSED} with what the last request got.
     * Only then do the state files name the new live release and the warm one, as {@link #swap} writes them.
     */
    public RemoteScript flip(String service, Slot slot, String liveLine, String warmLine, long keepSeconds) {
        ProxyFlag flag = settings.flag();
        return RemoteScript.of("point Nginx at the new release", call("everbit_flip", flag.file(), ProxyFlag.state(slot),
                flag.confirmUrl(), slot.service(service), liveLine, orEmpty(warmLine), String.valueOf(keepSeconds)));
    }

    /**
     * The restore of an interrupted switch by a flag ({@code everbit_flag_restore}), as {@link #restore} for a reload:
     * the flag made as {@code served} needs it again (null: left alone), confirmed by a request that {@code served}
     * answers, then the rest as {@link #restore} does it.
     */
    public String flagRestore(String service, Slot served, String liveLine, String warmLine, String liveService,
                              String pin, String stopService) {
        ProxyFlag flag = settings.flag();
        return call("everbit_flag_restore", flag.file(), served == null ? "" : ProxyFlag.state(served), flag.confirmUrl(),
                served == null ? "" : served.service(service), orEmpty(liveService), orEmpty(liveLine), orEmpty(warmLine),
                orEmpty(pin), orEmpty(stopService));
    }

    /**
     * What the VM does on its own when a switch is interrupted (the call the restore file holds, run by the guardian,
     * or by the next command under the lock): it makes {@code liveLine}'s service live again, starting it only if it
     * does not run, with the upstream {@code upstream} (null: the file is left alone), the pin {@code pin} and the
     * state files as given, then stops {@code stopService} (the slot the switch was bringing up; null: none).
     */
    public String restore(String upstream, String liveLine, String warmLine, String liveService, String pin,
                          String stopService) {
        return call("everbit_proxy_restore", settings.upstreamFile(), settings.reloadCommand(), orEmpty(liveService),
                orEmpty(upstream), orEmpty(liveLine), orEmpty(warmLine), orEmpty(pin), orEmpty(stopService));
    }

    /** The call that writes the restore file the recovery sources when the switch is interrupted, for beginSwitch. */
    public static List<String> writeRestoreCall(String restore) {
        return List.of("everbit_write_file", ComposeProject.PROXY_RESTORE_FILE,
                "# Written by everbit-deploy: sourced on the VM when this switch is interrupted.\n" + restore + "\n");
    }

    /**
     * Retires the warm {@code service} once its window has ended: at once when {@code delaySeconds} is 0 (run under
     * the lock; {@code force}: even before its window ends, its slot being needed), otherwise from a detached timer
     * that outlives the session and then takes the lock itself.
     */
    public RemoteScript retire(String service, long delaySeconds, boolean force) {
        if (delaySeconds <= 0) {
            return RemoteScript.of("retire the warm " + service, call("everbit_retire_warm", service, force ? "1" : "0"));
        }
        return RemoteScript.quiet("start the warm window's timer", call("everbit_retire_later", service,
                String.valueOf(delaySeconds)));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
