package kr.everbit.deploy.engine.proxy;

import static kr.everbit.deploy.engine.Shell.quote;

import kr.everbit.deploy.engine.health.HealthScripts;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.engine.remote.StartRules;

/**
 * The VM's shell scripts of the proxy switch mode, as data (see {@link RemoteScripts} for the session functions they
 * use: {@code everbit_dc}, {@code everbit_project}, {@code everbit_wait_healthy}). The state of the mode lives in
 * {@link ComposeProject#STATE_DIR}: {@code proxy.live} (the slot Nginx sends to) and {@code proxy.warm} (the release
 * out of rotation that still runs, and until when), one line each: {@code SERVICE IMAGE ADDRESS [EXPIRES]}.
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
    /** How long a reload may take until every worker of before has stopped accepting; longer is a failed switch. */
    public static final int RELOAD_BOUND_SECONDS = 30;
    /**
     * {@code everbit_workers} prints {@code PID PPID} of each Nginx worker process that accepts connections (a worker
     * told to shut down renames itself "worker process is shutting down" as it closes its listening sockets).
     * {@code everbit_reloaded} succeeds once a master that had such workers in {@code $everbit_before} has only new
     * ones: from then on every new connection is taken by a worker that read the new upstream. Other masters on the
     * VM (other Nginx instances) keep their workers and so do not count, unless one reloads at the same moment for
     * a reason of its own: which master the operator's reload command signals is not observable from here.
     */
    static final String WORKERS_FUNCTION = String.join("\n",
            "everbit_workers() {",
            "  ps -e -o pid= -o ppid= -o args= 2>/dev/null | awk '$3 == \"nginx:\" && $4 == \"worker\" && $5 == \"process\" && NF == 5 { print $1, $2 }'",
            "}",
            "everbit_reloaded() {",
            "  { printf '%s\\n' \"$everbit_before\" | sed 's/^/old /'; everbit_workers | sed 's/^/now /'; } | awk '",
            "    $1 == \"old\" { old[$2] = $3; had[$3] = 1 }",
            "    $1 == \"now\" { now[$2] = $3 }",
            "    END {",
            "      for (p in now) if (!(p in old) || old[p] != now[p]) fresh[now[p]] = 1",
            "      for (p in old) if ((p in now) && now[p] == old[p]) stale[old[p]] = 1",
            "      for (m in had) if ((m in fresh) && !(m in stale)) exit 0",
            "      exit 1",
            "    }'",
            "}");
    private final ComposeProject project;
    private final RemoteScripts scripts;
    private final ProxySettings settings;

    public ProxyScripts(ComposeProject project, RemoteScripts scripts, ProxySettings settings) {
        this.project = project;
        this.scripts = scripts;
        this.settings = settings;
    }

    /** The compose command with the operator's files and the slots: what an operator types to see the slots. */
    public String compose() {
        return scripts.compose(SLOTS_FILE);
    }

    /** Prints {@code live LINE}, {@code warm LINE}, {@code upstream LINE} for each line of the upstream file, {@code now EPOCH}. */
    public RemoteScript readState() {
        return RemoteScript.quiet("read the proxy state", String.join("\n",
                "[ ! -f " + LIVE_FILE + " ] || sed -n '1s/^/live /p' " + LIVE_FILE,
                "[ ! -f " + WARM_FILE + " ] || sed -n '1s/^/warm /p' " + WARM_FILE,
                "[ ! -f " + quote(settings.upstreamFile()) + " ] || sed 's/^/upstream /' " + quote(settings.upstreamFile()),
                "echo \"now $(date +%s)\""));
    }

    /** The proxy mode's live and warm lines, for retention (which must never prune either image). */
    public static RemoteScript readReleases() {
        return RemoteScript.quiet("read the live and warm releases", "cat " + LIVE_FILE + " " + WARM_FILE + " 2>/dev/null; true");
    }

    /** The operator's service as compose resolves it from the operator's files (the slots are copied from it). */
    public RemoteScript config() {
        // Uninterpolated: the slots file is interpolated again when compose reads it ($$ stays $$, ${TAG} stays).
        return RemoteScript.quiet("read the compose config", scripts.compose(null) + " config --no-interpolate");
    }

    /** The last log lines of a slot, for an error report. */
    public RemoteScript logs(String slot, int lines) {
        return RemoteScript.quiet("read " + slot + "'s logs", compose() + " logs --no-color --tail=" + lines + " "
                + quote(slot) + " 2>&1; true");
    }

    /** Writes {@code content} to {@code file} atomically (temporary file, then rename). */
    public static RemoteScript writeFile(String label, String file, String content) {
        return RemoteScript.quiet(label, String.join("\n",
                "set -e",
                "mkdir -p \"$(dirname -- " + quote(file) + ")\"",
                "tmp=" + quote(file) + ".tmp.$$",
                "printf '%s' " + quote(content) + " > \"$tmp\"",
                "mv -f \"$tmp\" " + quote(file)));
    }

    /**
     * Starts {@code slot} beside the live one and waits until it is healthy ({@code --no-deps} once the project runs,
     * as in restart mode), then until it answers at its own address: a TCP connect, and with
     * {@link StartRules#readyPath} a 2xx there (at the address Nginx uses: {@link ProxySettings#host}, else the
     * container's address on its network, which the VM reaches as Nginx reaches the service name). All within
     * {@code timeoutSeconds}. Prints {@code state=STATUS health=HEALTH} last.
     */
    public RemoteScript startSlot(Slot slot, String service, int timeoutSeconds, StartRules rules) {
        String compose = compose();
        String name = quote(slot.service(service));
        int port = slot.port(settings);
        String hostWord = settings.host() == null ? "\"$everbit_ip\"" : quote(settings.host());
        String url = rules.readyPath() == null ? null : "\"http://$everbit_hp\"" + quote(rules.readyPath());
        return RemoteScript.of("compose up " + slot.service(service) + " and wait until it is healthy and answers",
                String.join("\n",
                "everbit_project || exit 1",
                "everbit_end=$(( $(date +%s) + " + timeoutSeconds + " ))",
                "if [ -n \"$project\" ]; then " + compose + " up -d --no-deps " + name + " || exit 1",
                "else " + compose + " up -d " + name + " || exit 1; fi",
                "cid=$(" + compose + " ps -q " + name + " 2>/dev/null | head -n 1)",
                "[ -n \"$cid\" ] || { echo 'state=missing health=none'; exit 1; }",
                "everbit_state=$(everbit_wait_healthy \"$cid\" " + timeoutSeconds + ") || { printf '%s\\n' \"$everbit_state\"; exit 1; }",
                settings.host() == null ? "everbit_ip=$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}'"
                        + " \"$cid\" | awk '{ print $1 }')" : ":",
                "everbit_hp=" + hostWord + ":" + port,
                answers("a TCP connection", "( " + HealthScripts.tcpConnectShell(hostWord, port, 2) + " )",
                        "*" + HealthScripts.TCP + "open*"),
                url == null ? ":" : answers("a 2xx to GET " + rules.readyPath(), "( " + HealthScripts.httpGetShell(url, 2) + " )",
                        "*\"" + HealthScripts.STATUS + "\"2[0-9][0-9]*"),
                "printf '%s\\n' \"$everbit_state\"")).withLimit(timeoutSeconds + 120);
    }

    /** Polls {@code probe} every 200 ms until its output matches the case {@code pattern}, up to {@code $everbit_end}. */
    private static String answers(String what, String probe, String pattern) {
        return String.join("\n",
                "while :; do",
                "  said=$( " + probe + " 2>&1)",
                "  case \"$said\" in " + pattern + ") break ;; esac",
                "  if [ \"$(date +%s)\" -ge \"$everbit_end\" ]; then",
                "    echo \"everbit: the new slot gave no \"" + quote(what) + "\" at $everbit_hp within the health timeout\"",
                "    printf '%s\\n' \"$said\" | tail -n 3",
                "    echo 'state=running health=no-answer'; exit 1",
                "  fi",
                "  sleep 0.2",
                "done");
    }

    /** Exit 0 when the service's container runs and is healthy (or has no healthcheck). */
    public RemoteScript running(String service) {
        return RemoteScript.quiet("check that " + service + " runs", String.join("\n",
                "everbit_project || exit 1",
                "[ -n \"$project\" ] || exit 1",
                "cid=$(docker ps -q --filter \"label=com.docker.compose.project=$project\" --filter "
                        + quote("label=com.docker.compose.service=" + service) + " | head -n 1)",
                "[ -n \"$cid\" ] || exit 1",
                "st=$(docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' \"$cid\")",
                "[ \"$st\" = 'running healthy' ] || [ \"$st\" = 'running none' ]"));
    }

    /** Stops a service's container (gracefully: SIGTERM, then its grace), leaving it for {@code compose ps} and logs. */
    public RemoteScript stop(String service) {
        return RemoteScript.of("stop " + service, stopBody(service));
    }

    private static String stopBody(String service) {
        return String.join("\n",
                "everbit_project || exit 1",
                "[ -n \"$project\" ] || exit 0",
                "cid=$(docker ps -q --filter \"label=com.docker.compose.project=$project\" --filter "
                        + quote("label=com.docker.compose.service=" + service) + ")",
                "[ -z \"$cid\" ] || docker stop -t 30 $cid >/dev/null");
    }

    /**
     * Points Nginx at {@code upstream}: the file is written atomically, {@code nginx -t} checks it, a graceful reload
     * applies it, and the script waits until it has taken: every Nginx worker of before has stopped accepting and new
     * ones run ({@link #WORKERS_FUNCTION}), at most {@link #RELOAD_BOUND_SECONDS}. When Nginx refuses either, or the
     * reload does not take, the file as it was is put back (and reloaded again after a reload) and the script exits
     * {@link #NGINX_REFUSED} with what Nginx said; nothing else changed. Only then do the state files
     * name the new live release and the warm one ({@code warmLine} null: none), whose window ends
     * {@code keepSeconds} from now.
     */
    public RemoteScript swap(String upstream, String liveLine, String warmLine, long keepSeconds) {
        String file = quote(settings.upstreamFile());
        String before = ComposeProject.STATE_DIR + "/upstream.before";
        // Without the lock's descriptor: a reload that starts a daemon (nginx -s reload || nginx) must not keep the lock.
        String test = "sh -c " + quote(settings.testCommand()) + " 9>&-";
        String reload = "sh -c " + quote(settings.reloadCommand()) + " 9>&-";
        return RemoteScript.of("point Nginx at the new release", String.join("\n",
                "mkdir -p \"$(dirname -- " + file + ")\" " + ComposeProject.STATE_DIR + " || exit 1",
                "if [ -f " + file + " ]; then cp -p " + file + " " + before + " || exit 1; else rm -f " + before + "; fi",
                "printf '%s' " + quote(upstream) + " > " + file + ".tmp.$$ && mv -f " + file + ".tmp.$$ " + file + " || exit 1",
                "everbit_put_back() { if [ -f " + before + " ]; then mv -f " + before + " " + file + "; else rm -f " + file + "; fi; }",
                "if ! said=$(" + test + " 2>&1); then",
                "  everbit_put_back; printf '%s\\n' \"$said\"",
                "  echo " + quote("everbit: Nginx refused the new upstream (" + settings.testCommand()
                        + "): the upstream file as it was is back, Nginx was not reloaded"),
                "  exit " + NGINX_REFUSED,
                "fi",
                WORKERS_FUNCTION,
                "everbit_before=$(everbit_workers)",
                "if [ -z \"$everbit_before\" ]; then",
                "  everbit_put_back",
                "  echo " + quote("everbit: no Nginx worker process is seen on the VM (ps): a switch could not be confirmed,"
                        + " so Nginx was not reloaded and the upstream file as it was is back"),
                "  exit " + NGINX_REFUSED,
                "fi",
                "everbit_t0=$(date +%s%N)",
                "if ! said=$(" + reload + " 2>&1); then",
                "  everbit_put_back; " + reload + " >/dev/null 2>&1; printf '%s\\n' \"$said\"",
                "  echo " + quote("everbit: reloading Nginx failed (" + settings.reloadCommand()
                        + "): the upstream file as it was is back"),
                "  exit " + NGINX_REFUSED,
                "fi",
                // The reload only signals the master: until its workers of before stop accepting, new connections
                // still go to the upstream of before. The switch is true once they have.
                "everbit_end=$(( $(date +%s) + " + RELOAD_BOUND_SECONDS + " ))",
                "until everbit_reloaded; do",
                "  if [ \"$(date +%s)\" -ge \"$everbit_end\" ]; then",
                "    everbit_put_back; " + reload + " >/dev/null 2>&1; [ -z \"$said\" ] || printf '%s\\n' \"$said\"",
                "    echo " + quote("everbit: Nginx did not take the reload within " + RELOAD_BOUND_SECONDS + "s (its"
                        + " worker processes of before still accept connections; see Nginx's error log; reload: "
                        + settings.reloadCommand() + "): the upstream file as it was is back"),
                "    exit " + NGINX_REFUSED,
                "  fi",
                "  sleep 0.05",
                "done",
                // GNU date has %N; elsewhere the figure is left out rather than guessed.
                "everbit_t1=$(date +%s%N)",
                "case \"$everbit_t0$everbit_t1\" in *[!0-9]*) ;; *) echo \"everbit: Nginx took the reload"
                        + " $(( (everbit_t1 - everbit_t0) / 1000000 )) ms after it was signalled: no worker of before accepts"
                        + " connections\" ;; esac",
                "rm -f " + before,
                stateWrite(LIVE_FILE, liveLine),
                warmLine == null ? "rm -f " + WARM_FILE : "printf '%s %s\\n' " + quote(warmLine) + " \"$(( $(date +%s) + "
                        + keepSeconds + " ))\" > " + WARM_FILE + ".tmp && mv -f " + WARM_FILE + ".tmp " + WARM_FILE));
    }

    /**
     * What the VM does on its own when a switch is interrupted (sourced by the guardian, or by the next command under
     * the lock): it makes {@code liveLine}'s service live again, starting it only if it does not run, with the
     * upstream {@code upstream} (null: the file is left alone), the pin {@code pin} and the state files as given,
     * then stops {@code stopService} (the slot the switch was bringing up; null: none).
     */
    public String restore(String upstream, String liveLine, String warmLine, String liveService, String pin,
                          String stopService) {
        // Its last command's status says whether the live release was made healthy and Nginx took it.
        StringBuilder body = new StringBuilder("everbit_restore_rc=0\n");
        if (liveService != null) {
            body.append(String.join("\n",
                    "cid=$(" + compose() + " ps -q " + quote(liveService) + " 2>/dev/null | head -n 1)",
                    "if [ -z \"$cid\" ] || [ \"$(docker inspect --format '{{.State.Running}}' \"$cid\")\" != true ]; then",
                    "  " + compose() + " up -d --no-deps " + quote(liveService),
                    "  cid=$(" + compose() + " ps -q " + quote(liveService) + " 2>/dev/null | head -n 1)",
                    "  everbit_wait_healthy \"$cid\" \"${everbit_health:-120}\" || everbit_restore_rc=1",
                    "fi", ""));
        }
        if (upstream != null) {
            String file = quote(settings.upstreamFile());
            body.append(WORKERS_FUNCTION).append("\neverbit_before=$(everbit_workers)\n");
            body.append("{ printf '%s' ").append(quote(upstream)).append(" > ").append(file).append(".tmp.$$ && mv -f ")
                    .append(file).append(".tmp.$$ ").append(file).append(" && sh -c ").append(quote(settings.reloadCommand()))
                    .append(" 9>&-; } || everbit_restore_rc=1\n");
            // As in a switch: Nginx sends to the live release once its workers of before have stopped accepting; only
            // then may the slot that was being started stop, and the restore count as done.
            body.append(String.join("\n",
                    "everbit_end=$(( $(date +%s) + " + RELOAD_BOUND_SECONDS + " ))",
                    "while [ -n \"$everbit_before\" ] && ! everbit_reloaded; do",
                    "  if [ \"$(date +%s)\" -ge \"$everbit_end\" ]; then",
                    "    echo 'everbit: Nginx did not take the restore'\\''s reload within " + RELOAD_BOUND_SECONDS + "s'",
                    "    everbit_restore_rc=1; break",
                    "  fi",
                    "  sleep 0.05",
                    "done", ""));
        }
        if (pin != null) {
            body.append("( ").append(scripts.writePin(ComposeProject.PIN_FILE, pin).body()).append(" )\n");
        }
        body.append(stateWrite(LIVE_FILE, liveLine)).append('\n').append(stateWrite(WARM_FILE, warmLine)).append('\n');
        if (stopService != null) {
            body.append("( ").append(stopBody(stopService)).append(" )\n");
        }
        return body.append("[ \"$everbit_restore_rc\" = 0 ]\n").toString();
    }

    /** Writes the restore that {@link RemoteScripts}' recovery sources when the switch is interrupted. */
    public RemoteScript writeRestore(String restore) {
        return writeFile("write what an interrupted switch restores", ComposeProject.PROXY_RESTORE_FILE,
                "# Written by everbit-deploy: sourced on the VM when this switch is interrupted.\n" + restore);
    }

    /**
     * Retires the warm {@code service} once its window has ended: at once when {@code delaySeconds} is 0 (run under
     * the lock; {@code force}: even before its window ends, its slot being needed), otherwise from a detached timer
     * that outlives the session (a session id of its own, without the lock's descriptor) and then takes the lock
     * itself. Only while {@code proxy.warm} still names that service and its window has ended: a later switch that
     * warmed it again has its own timer.
     */
    public RemoteScript retire(String service, long delaySeconds, boolean force) {
        String body = String.join("\n",
                "set -- $(cat " + WARM_FILE + " 2>/dev/null)",
                "[ \"${1:-}\" = " + quote(service) + " ] || exit 0",
                force ? ":" : "[ \"${4:-0}\" -le \"$(date +%s)\" ] || exit 0",
                "printf 'everbit: %s retiring the warm %s (%s)\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" " + quote(service) + " \"$2\"",
                "cid=$(docker ps -q --filter \"label=com.docker.compose.project=$everbit_p\" --filter "
                        + quote("label=com.docker.compose.service=" + service) + " 9>&-)",
                "[ -z \"$cid\" ] || docker stop -t 30 $cid >/dev/null 9>&-",
                "rm -f " + WARM_FILE);
        if (delaySeconds <= 0) {
            return RemoteScript.of("retire the warm " + service, String.join("\n",
                    "everbit_project || exit 1",
                    "everbit_p=$project",
                    body));
        }
        String timer = String.join("\n",
                "everbit_p=$1",
                "sleep " + delaySeconds,
                "exec 9>>" + ComposeProject.STATE_DIR + "/deploy.lock",
                "flock -w 3600 9 || exit 0",
                "printf 'the warm window timer (pid %s) retiring %s since %s\\n' \"$$\" " + quote(service) + " \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" > "
                        + ComposeProject.STATE_DIR + "/lock.holder",
                body);
        return RemoteScript.quiet("start the warm window's timer", String.join("\n",
                "everbit_project || exit 1",
                "setsid sh -c " + quote(timer) + " everbit-retire \"$project\" </dev/null >>" + ComposeProject.RECOVERY_LOG
                        + " 2>&1 9>&- &"));
    }

    private static String stateWrite(String file, String line) {
        return line == null ? "rm -f " + file
                : "printf '%s\\n' " + quote(line) + " > " + file + ".tmp && mv -f " + file + ".tmp " + file;
    }
}
