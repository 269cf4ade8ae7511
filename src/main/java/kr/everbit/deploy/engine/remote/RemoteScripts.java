package kr.everbit.deploy.engine.remote;

import static kr.everbit.deploy.engine.Shell.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.docker.DockerConfig;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The shell scripts the engine runs on the VM, as data: they only return text and run nothing. Every value from
 * outside is quoted with {@link Shell#quote}; the one secret (a registry token) is embedded in a script that
 * travels over the SSH channel's stdin and reaches {@code docker login} through a pipe from the shell's builtin
 * {@code printf}, so it appears in no process's arguments, on the VM or here.
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

    /** Stands for the time of the recovery in the ledger lines of an in-flight switch; replaced when they are written. */
    public static final String RECOVERY_TIME = "@EVERBIT_AT@";
    /** Prints the image line's value of a pin file (written by {@link #writePin}). */
    private static final String PIN_IMAGE = "sed -n 's/^    image: \"\\(.*\\)\"$/\\1/p' ";
    /** Ends the ledger's last line when it lacks its newline ({@code $(...)} drops a trailing newline, nothing else). */
    static final String LEDGER_NEWLINE = "if [ -s " + ComposeProject.LEDGER_FILE + " ] && [ -n \"$(tail -c 1 "
            + ComposeProject.LEDGER_FILE + ")\" ]; then printf '\\n' >> " + ComposeProject.LEDGER_FILE + "; fi";
    /** A health wait's time limit over its timeout: compose recreating the container, pulling nothing. */
    private static final int STARTUP_MARGIN_SECONDS = 120;
    private final ComposeProject project;

    public RemoteScripts(ComposeProject project) {
        this.project = project;
    }

    /**
     * Enters the deploy dir, checks the compose files and picks compose v2 ({@code docker compose}) or v1
     * ({@code docker-compose}) as the session function {@code everbit_dc}. Runs in the session's own shell.
     */
    public RemoteScript openProject() {
        String checks = project.files().stream()
                .map(f -> "  [ -f " + quote(f) + " ] || { printf 'everbit: compose file %s not found in %s on the VM\\n' "
                        + quote(f) + " \"$(pwd)\"; everbit_rc=" + MISSING + "; }")
                .collect(Collectors.joining("\n"));
        return RemoteScript.quiet("open the compose project", String.join("\n",
                "everbit_rc=0",
                "if cd -- " + project.dirWord() + " 2>/dev/null; then",
                checks,
                "else",
                "  printf 'everbit: deploy dir %s does not exist on the VM\\n' " + quote(project.dir()) + "; everbit_rc=" + MISSING,
                "fi",
                "if [ \"$everbit_rc\" = 0 ]; then",
                "  if docker compose version >/dev/null 2>&1; then everbit_dc() { docker compose \"$@\"; }; echo 'compose=v2'",
                "  elif command -v docker-compose >/dev/null 2>&1; then everbit_dc() { docker-compose \"$@\"; }; echo 'compose=v1'",
                "  else echo \"everbit: neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed on the VM\"; everbit_rc=" + NO_COMPOSE + "; fi",
                "fi",
                "everbit_session=$$",
                projectFunction(),
                startWaitFunction(),
                recoverFunction(),
                guardFunction(),
                "(exit \"$everbit_rc\")"));
    }

    /**
     * Takes the deploy lock for the rest of the session: {@code flock} on a file descriptor of the session's
     * shell, which the kernel releases when that shell ends, however it ends. Records the holder for others.
     * Taking it again in the same session (a deploy's automatic rollback) keeps the descriptor open, so the lock
     * is never let go in between: {@code flock} on a description that holds the lock returns at once.
     */
    public RemoteScript lock(int timeoutSeconds, String holder) {
        return RemoteScript.of("take the deploy lock", String.join("\n",
                "[ \"${everbit_locked:-}\" = 1 ] || { mkdir -p " + ComposeProject.STATE_DIR + " && exec 9>>"
                        + ComposeProject.STATE_DIR + "/deploy.lock; }",
                "if flock -n 9; then everbit_rc=0; else",
                "  echo \"everbit: deploy lock held by $(cat " + ComposeProject.STATE_DIR + "/lock.holder 2>/dev/null); waiting up to "
                        + timeoutSeconds + "s\"",
                "  if flock -w " + timeoutSeconds + " 9; then everbit_rc=0; else",
                "    echo \"everbit: deploy lock still held after " + timeoutSeconds + "s by $(cat " + ComposeProject.STATE_DIR
                        + "/lock.holder 2>/dev/null)\"; everbit_rc=" + LOCKED,
                "  fi",
                "fi",
                "[ \"$everbit_rc\" = 0 ] && everbit_locked=1 && printf '%s since %s\\n' " + quote(holder) + " \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" > "
                        + ComposeProject.STATE_DIR + "/lock.holder"));
    }

    /** The ledger, a separator line, the pinned image, a separator, "inflight" when a switch is: all {@code status} needs, for a dir without compose details. */
    public static RemoteScript status(String dir, String separator) {
        return RemoteScript.quiet("read the release ledger", String.join("\n",
                "cd -- " + ComposeProject.dirWord(dir) + " 2>/dev/null || { printf 'everbit: deploy dir %s does not exist on the VM\\n' "
                        + quote(dir) + "; exit " + MISSING + "; }",
                "cat " + ComposeProject.LEDGER_FILE + " 2>/dev/null",
                // On a line of its own even after a ledger whose last line lost its newline.
                "printf '\\n%s\\n' " + quote(separator),
                PIN_IMAGE + ComposeProject.PIN_FILE + " 2>/dev/null",
                "echo " + quote(separator),
                "[ ! -f " + ComposeProject.INFLIGHT_FILE + " ] || echo inflight",
                // The proxy mode's live and warm release (absent in restart mode).
                "[ ! -f " + ComposeProject.STATE_DIR + "/proxy.live ] || sed -n '1s/^/proxy-live /p' " + ComposeProject.STATE_DIR + "/proxy.live",
                "[ ! -f " + ComposeProject.STATE_DIR + "/proxy.warm ] || sed -n '1s/^/proxy-warm /p' " + ComposeProject.STATE_DIR + "/proxy.warm",
                "true"));
    }

    public RemoteScript readLedger() {
        return RemoteScript.quiet("read the release ledger", "cat " + ComposeProject.LEDGER_FILE + " 2>/dev/null; true");
    }

    /**
     * Appends one JSON line. A ledger whose last line lost its newline (a hand edit, a full disk) gets one first, so
     * the new entry is never glued to the damaged line and lost with it.
     */
    public RemoteScript appendLedger(String jsonLine) {
        return RemoteScript.quiet("record the release", String.join("\n",
                "mkdir -p " + ComposeProject.STATE_DIR + " || exit 1",
                LEDGER_NEWLINE,
                "printf '%s\\n' " + quote(jsonLine) + " >> " + ComposeProject.LEDGER_FILE));
    }

    /** Prints the image the pin file names now (empty when nothing is pinned yet). */
    public RemoteScript readPin() {
        return RemoteScript.quiet("read the pinned image", PIN_IMAGE + ComposeProject.PIN_FILE + " 2>/dev/null; true");
    }

    /** Writes the pin for {@code image} to {@code file}, atomically (temporary file, then rename). */
    public RemoteScript writePin(String file, String image) {
        String content = "# Written by everbit-deploy: the release of service '" + project.service()
                + "'. Do not edit: run everbit-deploy up or rollback.\n"
                + "services:\n  " + project.service() + ":\n    image: \"" + image + "\"\n";
        return RemoteScript.quiet("pin " + image, String.join("\n",
                "set -e",
                "mkdir -p " + ComposeProject.STATE_DIR,
                "tmp=" + quote(file) + ".tmp.$$",
                "printf '%s' " + quote(content) + " > \"$tmp\"",
                "mv -f \"$tmp\" " + quote(file)));
    }

    /** Whether {@code image} is present on the VM: exit 0 when it is. */
    public RemoteScript imagePresent(String image) {
        return RemoteScript.quiet("look for " + image + " on the VM", "docker image inspect " + quote(image) + " >/dev/null 2>&1");
    }

    /**
     * Pulls the service's image through compose with {@code pinFile}. With a token, logs in first with a
     * temporary docker config directory that is removed afterwards, also on failure.
     */
    public RemoteScript pull(String pinFile, String registry, String user, Secret token) {
        String pull = compose(pinFile) + " pull " + quote(project.service());
        if (token == null) {
            return RemoteScript.of("pull", pull);
        }
        return RemoteScript.of("log in to " + registry + " and pull", String.join("\n",
                "everbit_cfg=$(mktemp -d) || exit 1",
                "trap 'rm -rf \"$everbit_cfg\"' EXIT INT TERM HUP",
                "chmod 700 \"$everbit_cfg\"",
                // Keeps the login in this dir, not in a credential helper docker would pick for an empty config.
                "printf '%s\\n' " + quote(DockerConfig.keepingLoginsInTheFile(registry))
                        + " > \"$everbit_cfg/config.json\" || exit 1",
                // DOCKER_CONFIG also moves the CLI plugin dir: keep a user-installed compose v2 plugin in reach.
                "[ -d \"$HOME/.docker/cli-plugins\" ] && ln -s \"$HOME/.docker/cli-plugins\" \"$everbit_cfg/cli-plugins\"",
                "said=$(printf '%s\\n' " + quote(token.reveal()) + " | DOCKER_CONFIG=\"$everbit_cfg\" docker login --username "
                        + quote(user) + " --password-stdin " + quote(registry) + " 2>&1) || { printf '%s\\n' \"$said\"; exit 1; }",
                "DOCKER_CONFIG=\"$everbit_cfg\" " + pull)).withSecret(token);
    }

    /** The digest the registry gave the image, from the pulled image's RepoDigests. */
    public RemoteScript digest(String image) {
        return RemoteScript.quiet("read the image digest", "docker image inspect --format "
                + quote("{{range .RepoDigests}}{{println .}}{{end}}") + " " + quote(image) + " 2>/dev/null; true");
    }

    /**
     * Starts the service from the pin, then waits until its container runs and, where it has a healthcheck, is
     * healthy, or without one has kept running unrestarted for {@code settleSeconds}, polling every 200 ms up to
     * {@code timeoutSeconds}: the session function {@code everbit_start_wait}
     * (see {@link #openProject}). Prints {@code state=STATUS health=HEALTH} last; exits 1 when the service does not
     * get there.
     */
    public RemoteScript startAndWait(int timeoutSeconds, int settleSeconds) {
        return RemoteScript.of("compose up " + project.service() + " and wait until it is healthy",
                "everbit_start_wait " + timeoutSeconds + " " + settleSeconds).withLimit(timeoutSeconds + STARTUP_MARGIN_SECONDS);
    }

    /**
     * Once the project has containers, only this service is recreated ({@code --no-deps}): Kafka, the DB and Nginx
     * keep running; on a first start the whole project comes up. The new container is then found by its compose
     * labels, which costs no second compose run. A session function, so that the VM side can restore a release on
     * its own ({@link #recoverFunction}) with the same rules.
     */
    private String startWaitFunction() {
        String service = quote(project.service());
        String compose = compose(ComposeProject.PIN_FILE);
        return String.join("\n",
                "everbit_start_wait() {",
                "  everbit_project || return 1",
                "  if [ -n \"$project\" ]; then",
                "    " + compose + " up -d --no-deps " + service + " || return 1",
                "    cid=$(docker ps -aq --filter \"label=com.docker.compose.project=$project\" --filter "
                        + quote("label=com.docker.compose.service=" + project.service()) + " | head -n 1)",
                "  else",
                "    " + compose + " up -d || return 1",
                "    cid=$(" + compose + " ps -q " + service + " 2>/dev/null | head -n 1)",
                "  fi",
                "  [ -n \"$cid\" ] || { echo 'state=missing health=none'; return 1; }",
                "  everbit_wait_healthy \"$cid\" \"$1\" \"${2:-" + Setting.START_SETTLE.defaultInt() + "}\"",
                "}",
                // Waits until container $1 runs and is healthy, up to $2 seconds. Without a healthcheck it must keep
                // running, with the same start time and restart count, for $3 seconds (default: none): one sample of
                // "running" between two restarts of a crash loop is no start.
                "everbit_wait_healthy() {",
                "  cid=$1; everbit_settle=${3:-0}; everbit_first=; everbit_since=",
                "  end=$(( $(date +%s) + $2 ))",
                "  while :; do",
                "    all=$(docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.StartedAt}}/{{.RestartCount}}' \"$cid\" 2>/dev/null)",
                "    st=${all% *}; run=${all##* }",
                "    case \"$st\" in",
                "      'running healthy') echo \"state=${st% *} health=${st#* }\"; return 0 ;;",
                "      'running none')",
                "        if [ -z \"$everbit_first\" ]; then everbit_first=$run; everbit_since=$(date +%s)",
                "        elif [ \"$run\" != \"$everbit_first\" ]; then",
                "          echo 'everbit: the container restarted while it settled (a crash loop is no start)'",
                "          echo 'state=restarting health=none'; return 1",
                "        fi",
                "        if [ \"$everbit_settle\" = 0 ] || [ $(( $(date +%s) - everbit_since )) -gt \"$everbit_settle\" ]; then",
                "          echo \"state=${st% *} health=${st#* }\"; return 0",
                "        fi ;;",
                "      exited*|dead*|restarting*|'running unhealthy'|'') echo \"state=${st% *} health=${st#* }\"; return 1 ;;",
                "    esac",
                "    [ \"$(date +%s)\" -lt \"$end\" ] || { echo \"everbit: not healthy after $2s\"; echo \"state=${st% *} health=${st#* }\"; return 1; }",
                "    sleep 0.2",
                "  done",
                "}");
    }

    /**
     * Sets {@code project} to the compose project of this deploy dir's containers (empty before its first start),
     * and fails, changing nothing, when compose would act on another deploy dir's containers: compose names a project
     * after the folder of the first compose file, so two deploy dirs with the standard's layout
     * ({@code DIR/docker/compose.yaml}) share the name {@code docker}, and a release in one would replace the other's.
     * Compose labels its containers with the project dir, as the physical or the logical path; asking dockerd is
     * quick, compose itself is asked only when no container of this dir is found.
     */
    private String projectFunction() {
        String projectDir = quote(parentOf(project.files().get(0)));
        String label = "label=com.docker.compose.project.working_dir=";
        String workingDir = quote("{{.Label \"com.docker.compose.project.working_dir\"}}");
        return String.join("\n",
                "everbit_project() {",
                "  project=",
                "  physical=$(cd -- " + projectDir + " && pwd -P); logical=$(cd -- " + projectDir + " && pwd -L)",
                "  for wd in \"$physical\" \"$logical\"; do",
                "    [ -n \"$project\" ] || project=$(docker ps -a --filter \"" + label + "$wd\" --format "
                        + quote("{{.Label \"com.docker.compose.project\"}}") + " | head -n 1)",
                "    [ \"$physical\" != \"$logical\" ] || break",
                "  done",
                "  if [ -n \"$project\" ]; then",
                "    others=$(docker ps -a --filter \"label=com.docker.compose.project=$project\" --format " + workingDir
                        + " | sort -u | grep -vxF -e \"$physical\" -e \"$logical\")",
                "  else",
                // Before the first release of this dir there is no pin yet: the operator's files are enough to ask.
                "    others=$(" + compose(null) + " ps -q 2>/dev/null | xargs -r docker inspect --format "
                        + quote("{{index .Config.Labels \"com.docker.compose.project.working_dir\"}}") + " | sort -u)",
                "    project=$(" + compose(null) + " ps -q 2>/dev/null | head -n 1 | xargs -r docker inspect"
                        + " --format '{{index .Config.Labels \"com.docker.compose.project\"}}')",
                "  fi",
                "  [ -z \"$others\" ] && return 0",
                "  printf 'everbit: compose project %s already has containers of another deploy dir (%s): its compose files"
                        + " sit in a folder of the same name as this one'\\''s, so a release here would replace them; nothing was"
                        + " changed. Give this deploy dir its own project name: COMPOSE_PROJECT_NAME=NAME in a .env file beside"
                        + " %s (read by compose, so by the tool and by hand alike)\\n' \"$project\" \"$(printf '%s' \"$others\" | tr '\\n' ' ')\" "
                        + quote(project.files().get(0)),
                "  return " + CLASH,
                "}");
    }

    /** Fails ({@link #CLASH}) when this deploy dir's compose project holds another deploy dir's containers. */
    public RemoteScript checkProject() {
        return RemoteScript.quiet("check the compose project", "everbit_project");
    }

    /**
     * Finishes an interrupted switch on the VM: puts the restore pin back and starts it (or, with nothing to put
     * back, stops the service and drops the pin), then writes the in-flight ledger lines with the time of the
     * recovery, so that the ledger's current release is the one that runs. The in-flight file is its first line
     * (the health timeout), then the ledger lines.
     */
    private String recoverFunction() {
        String inflight = ComposeProject.INFLIGHT_FILE;
        String restorePin = ComposeProject.RESTORE_PIN_FILE;
        return String.join("\n",
                "everbit_recover() {",
                "  [ -f " + inflight + " ] || return 0",
                "  everbit_health=$(head -n 1 " + inflight + ")",
                // A proxy switch restores what its own restore file says (Nginx's upstream first of all).
                "  if [ -f " + ComposeProject.PROXY_RESTORE_FILE + " ]; then",
                "    echo \"everbit: $(date -u +%Y-%m-%dT%H:%M:%SZ) a proxy switch was interrupted: restoring the live release\"",
                "    ( . ./" + ComposeProject.PROXY_RESTORE_FILE + " ) && rm -f " + ComposeProject.PROXY_RESTORE_FILE,
                "  elif [ -f " + restorePin + " ]; then",
                "    echo \"everbit: $(date -u +%Y-%m-%dT%H:%M:%SZ) a release switch was interrupted: restoring $(" + PIN_IMAGE
                        + restorePin + ")\"",
                "    mv -f " + restorePin + " " + ComposeProject.PIN_FILE + " && everbit_start_wait \"$everbit_health\"",
                "  else",
                "    echo \"everbit: $(date -u +%Y-%m-%dT%H:%M:%SZ) the first release's switch was interrupted: stopping it\"",
                "    " + compose(ComposeProject.PIN_FILE) + " stop " + quote(project.service()) + "; rm -f " + ComposeProject.PIN_FILE,
                "  fi",
                "  everbit_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)",
                "  " + LEDGER_NEWLINE,
                "  sed -e 1d -e \"s/" + RECOVERY_TIME + "/$everbit_at/g\" " + inflight + " >> " + ComposeProject.LEDGER_FILE
                        + " && rm -f " + inflight,
                "}");
    }

    /**
     * Starts, once per switch, the guardian: a process of the session that ignores the signals ending the session
     * and holds the deploy lock's descriptor (inherited), so that when the session ends with a switch in flight (the
     * tool killed, the connection dropped or silent) it finishes the switch's recovery under the lock, then lets the
     * lock go. Its {@code sleep} does not inherit the lock, so killing the guardian frees it at once.
     */
    private static String guardFunction() {
        return String.join("\n",
                "everbit_guard() {",
                "  [ -n \"${everbit_guardian:-}\" ] && kill -0 \"$everbit_guardian\" 2>/dev/null && return 0",
                "  ( trap '' TERM INT HUP PIPE",
                "    while [ -f " + ComposeProject.INFLIGHT_FILE + " ] && kill -0 \"$everbit_session\" 2>/dev/null; do sleep 1 9>&-; done",
                "    everbit_recover",
                "  ) </dev/null >>" + ComposeProject.RECOVERY_LOG + " 2>&1 &",
                "  everbit_guardian=$!",
                "}");
    }

    /**
     * Marks a switch as in flight before anything changes: the pin to restore ({@code restorePin}, written by
     * {@link #writePin} to {@link ComposeProject#RESTORE_PIN_FILE}, or null for nothing), then, atomically, the
     * in-flight file with the ledger lines that make an interruption true ({@link #RECOVERY_TIME} for their time);
     * then starts the guardian. Writing it again in the same session replaces what an interruption records.
     * Runs in the session's shell.
     */
    public RemoteScript beginSwitch(RemoteScript restorePin, int healthTimeoutSeconds, List<String> ledgerLines) {
        String tmp = ComposeProject.INFLIGHT_FILE + ".tmp.$$";
        StringBuilder content = new StringBuilder().append(healthTimeoutSeconds).append('\n');
        ledgerLines.forEach(l -> content.append(l).append('\n'));
        return RemoteScript.quiet("mark the switch as in flight", String.join("\n",
                "everbit_rc=0",
                restorePin == null ? "rm -f " + ComposeProject.RESTORE_PIN_FILE : "( " + restorePin.body() + " ) || everbit_rc=1",
                "[ \"$everbit_rc\" = 0 ] && printf '%s' " + quote(content.toString()) + " > " + tmp + " && mv -f " + tmp + " "
                        + ComposeProject.INFLIGHT_FILE + " && everbit_guard || everbit_rc=1",
                "(exit \"$everbit_rc\")"));
    }

    /**
     * Ends the in-flight switch: records {@code jsonLine} (null: nothing), removes the in-flight file and stops the
     * guardian, with the session's ending signals ignored meanwhile so that the record and the removal happen
     * together. Runs in the session's shell.
     */
    public RemoteScript endSwitch(String jsonLine) {
        return RemoteScript.quiet(jsonLine == null ? "end the switch" : "record the release", String.join("\n",
                "trap '' TERM INT HUP",
                "everbit_rc=0",
                jsonLine == null ? ":" : "{ mkdir -p " + ComposeProject.STATE_DIR + " && " + LEDGER_NEWLINE + " && printf '%s\\n' "
                        + quote(jsonLine) + " >> " + ComposeProject.LEDGER_FILE + "; } || everbit_rc=1",
                "rm -f " + ComposeProject.INFLIGHT_FILE + " " + ComposeProject.RESTORE_PIN_FILE + " " + ComposeProject.PROXY_RESTORE_FILE,
                "[ -z \"${everbit_guardian:-}\" ] || kill -9 \"$everbit_guardian\" 2>/dev/null; everbit_guardian=",
                "trap - TERM INT HUP",
                "(exit \"$everbit_rc\")"));
    }

    /**
     * Recovers a switch left in flight by a command whose guardian did not finish (the VM rebooted, the guardian was
     * killed): the lock is held now, so nothing else is recovering it. Prints what it restores.
     */
    public RemoteScript recoverLeftover(int limitSeconds) {
        return RemoteScript.of("recover an interrupted switch", String.join("\n",
                // This session's own switch (a deploy's automatic rollback) is no leftover.
                "[ -f " + ComposeProject.INFLIGHT_FILE + " ] && [ -z \"${everbit_guardian:-}\" ] || exit 0",
                "echo 'everbit: the last release switch on this VM did not finish and was not recovered; recovering it now'",
                "everbit_recover")).withLimit(limitSeconds);
    }

    /** Stops the service's containers without removing them (a failed first release, on request). */
    public RemoteScript stop() {
        return RemoteScript.of("stop " + project.service(), compose(ComposeProject.PIN_FILE) + " stop " + quote(project.service()));
    }

    /** The last log lines of the service's container, for an error report. */
    public RemoteScript logs(int lines) {
        return RemoteScript.quiet("read the service's logs", compose(ComposeProject.PIN_FILE) + " logs --no-color --tail="
                + lines + " " + quote(project.service()) + " 2>&1; true");
    }

    /** The tags of the service's repository present on the VM. */
    public RemoteScript listTags() {
        return RemoteScript.quiet("list retained images", "docker image ls --format '{{.Tag}}' "
                + quote(project.image().repository()) + " 2>/dev/null; true");
    }

    public RemoteScript removeImages(List<String> images) {
        List<String> lines = new ArrayList<>();
        for (String image : images) {
            lines.add("docker image rm " + quote(image) + " >/dev/null 2>&1 && echo " + quote("removed " + image) + " || true");
        }
        return RemoteScript.of("prune old releases", String.join("\n", lines));
    }

    private static String parentOf(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "." : file.substring(0, slash);
    }

    /** A compose command line with the operator's files in order, plus {@code pinFile} last when given. */
    public String compose(String pinFile) {
        return "everbit_dc " + project.fileArgs(pinFile).stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
