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
    /** Exit code of {@link #recoverLeftover} when the in-flight file is not what the tool writes. */
    public static final int DAMAGED = 68;
    /** The longest recovery an in-flight file may ask for: the longest health timeout and its margin. */
    private static final int MAX_RECOVERY_SECONDS = 3600 + 120;
    /** What an interrupted recovery decided (its first line: healthy or unhealthy, then the ledger lines), until they are written. */
    static final String RECORD_FILE = ComposeProject.INFLIGHT_FILE + ".record";
    /**
     * No docker process keeps the deploy lock's descriptor: a client that outlives its script (a hung dockerd, a
     * restore ended at its limit) would hold the lock after the shell that took it has gone.
     */
    static final String DOCKER_WITHOUT_LOCK = "docker() { command docker \"$@\" 9>&-; }";

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
                DOCKER_WITHOUT_LOCK,
                "if [ \"$everbit_rc\" = 0 ]; then",
                "  if docker compose version >/dev/null 2>&1; then everbit_dc() { docker compose \"$@\"; }; echo 'compose=v2'",
                "  elif command -v docker-compose >/dev/null 2>&1; then everbit_dc() { docker-compose \"$@\" 9>&-; }; echo 'compose=v1'",
                "  else echo \"everbit: neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed on the VM\"; everbit_rc=" + NO_COMPOSE + "; fi",
                "fi",
                "everbit_session=$$",
                projectFunction(),
                startWaitFunction(),
                "everbit_restore_script=" + quote(restoreScript()),
                inflightFunctions(),
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
     * What an interrupted switch puts back, as a script of its own, so that the recovery runs it under
     * {@code timeout} (a time limit for everything it starts, compose included, in a process group of its own)
     * without the lock's descriptor. Arguments: the health timeout, what to restore ({@code image}, {@code proxy},
     * {@code none}) and the image. The restore pin is copied, never moved: a recovery cut off at any point leaves
     * it for the next one.
     */
    private String restoreScript() {
        String pin = ComposeProject.PIN_FILE;
        String restorePin = ComposeProject.RESTORE_PIN_FILE;
        return String.join("\n",
                DOCKER_WITHOUT_LOCK,
                "if docker compose version >/dev/null 2>&1; then everbit_dc() { docker compose \"$@\"; }",
                "else everbit_dc() { docker-compose \"$@\" 9>&-; }; fi",
                projectFunction(),
                startWaitFunction(),
                "everbit_health=$1",
                "case $2 in",
                "  proxy) . ./" + ComposeProject.PROXY_RESTORE_FILE + " ;;",
                "  image)",
                "    [ \"$(" + PIN_IMAGE + restorePin + " 2>/dev/null)\" = \"$3\" ] || { printf 'everbit: %s does not name %s:"
                        + " there is no pin to restore\\n' " + restorePin + " \"$3\"; exit 1; }",
                "    cp -f " + restorePin + " " + pin + ".tmp.$$ && mv -f " + pin + ".tmp.$$ " + pin
                        + " && everbit_start_wait \"$everbit_health\" ;;",
                "  none) " + compose(pin) + " stop " + quote(project.service()) + " && rm -f " + pin + " ;;",
                "  *) exit 1 ;;",
                "esac");
    }

    /**
     * Reads the in-flight file as data ({@code everbit_read_inflight}): line 1 the health timeout and the recovery's
     * limit, line 2 what to restore, then the ledger lines, each after the word saying when it is written
     * ({@code healthy}: the restore became healthy; {@code unhealthy}: it did not). Anything else (a hand edit, a
     * damaged disk, a hostile value) is refused naming the line, and nothing runs.
     */
    private String inflightFunctions() {
        String inflight = ComposeProject.INFLIGHT_FILE;
        String repository = quote(project.image().repository());
        return String.join("\n",
                // $1: digits only, 1 to $2; nothing else reaches an arithmetic or a command.
                "everbit_number() {",
                "  case $1 in ''|*[!0-9]*) return 1 ;; esac",
                "  [ \"${#1}\" -le 5 ] && [ \"$1\" -ge 1 ] && [ \"$1\" -le \"$2\" ]",
                "}",
                // $1: this service's repository tagged with a 7-40 hex SHA, as the tool writes a release.
                "everbit_release_image() {",
                "  case $1 in " + repository + ":*) ;; *) return 1 ;; esac",
                "  everbit_tag=${1#" + repository + ":}",
                "  case $everbit_tag in ''|*[!0-9a-f]*) return 1 ;; esac",
                "  [ \"${#everbit_tag}\" -ge 7 ] && [ \"${#everbit_tag}\" -le 40 ]",
                "}",
                "everbit_read_inflight() {",
                "  everbit_health='' everbit_limit='' everbit_more='' everbit_word='' everbit_restore='' everbit_image='' everbit_rest=''",
                "  { read -r everbit_health everbit_limit everbit_more; read -r everbit_word everbit_restore everbit_image everbit_rest; } < "
                        + inflight,
                "  everbit_bad=''",
                "  { everbit_number \"$everbit_health\" 3600 && everbit_number \"$everbit_limit\" " + MAX_RECOVERY_SECONDS
                        + " && [ -z \"$everbit_more\" ]; } || everbit_bad=1",
                "  if [ -z \"$everbit_bad\" ]; then",
                "    case $everbit_word/$everbit_restore in",
                "      restore/proxy|restore/none) [ -z \"$everbit_image$everbit_rest\" ] || everbit_bad=2 ;;",
                "      restore/image) { everbit_release_image \"$everbit_image\" && [ -z \"$everbit_rest\" ]; } || everbit_bad=2 ;;",
                "      *) everbit_bad=2 ;;",
                "    esac",
                "  fi",
                "  if [ -z \"$everbit_bad\" ]; then",
                "    everbit_bad=$(sed -n '3,$p' " + inflight + " | grep -vn -e '^healthy {' -e '^unhealthy {' | head -n 1 | cut -d : -f 1)",
                "    [ -z \"$everbit_bad\" ] || everbit_bad=$((everbit_bad + 2))",
                "  fi",
                "  [ -z \"$everbit_bad\" ] && return 0",
                "  printf 'everbit: %s/" + inflight + " line %s is not what everbit-deploy writes (%s): the interrupted switch is"
                        + " not recovered from it, nothing was run; check what the VM runs (docker ps), then remove the file\\n'"
                        + " \"$(pwd)\" \"$everbit_bad\" \"$(sed -n \"${everbit_bad}p\" " + inflight + " | cut -c 1-60 | tr -cd '[:print:]')\"",
                "  return " + DAMAGED,
                "}");
    }

    /**
     * Finishes an interrupted switch on the VM: restores what the in-flight file names, within its limit, then writes
     * the ledger lines of what happened, with the time of the recovery: a restore that did not become healthy is
     * recorded as failed, and said so. What was decided is kept ({@link #RECORD_FILE}) until the ledger holds it, and
     * the in-flight file and what it restores from are removed only then, so that a recovery cut off at any point is
     * finished by the next one, its lines written once. Returns 0 when the restore became healthy.
     */
    private String recoverFunction() {
        String inflight = ComposeProject.INFLIGHT_FILE;
        String now = "$(date -u +%Y-%m-%dT%H:%M:%SZ)";
        return String.join("\n",
                "everbit_recover() {",
                "  [ -f " + inflight + " ] || return 0",
                "  everbit_read_inflight || return",
                "  case $everbit_restore in",
                "    proxy) everbit_what='the live release'; everbit_switch='a proxy switch' ;;",
                "    image) everbit_what=$everbit_image; everbit_switch='a release switch' ;;",
                "    *) everbit_what='the state before the first release (stopping it)'; everbit_switch=\"the first release's switch\" ;;",
                "  esac",
                "  if [ ! -f " + RECORD_FILE + " ]; then",
                "    echo \"everbit: " + now + " $everbit_switch was interrupted: restoring $everbit_what (limit ${everbit_limit}s)\"",
                "    if timeout -k 5 \"$everbit_limit\" sh -c \"$everbit_restore_script\" everbit-restore \"$everbit_health\""
                        + " \"$everbit_restore\" \"$everbit_image\" </dev/null 9>&-; then",
                "      everbit_how=healthy",
                "    else",
                "      everbit_rc=$?",
                "      everbit_how=unhealthy",
                "      case $everbit_rc in 124|137) everbit_why=\"it did not finish within ${everbit_limit}s\" ;; *) everbit_why=\"exit $everbit_rc\" ;; esac",
                "      echo \"everbit: " + now + " restoring $everbit_what did not end healthy ($everbit_why): the VM runs nothing"
                        + " healthy; the ledger records the restore as failed\"",
                "    fi",
                "    everbit_at=" + now,
                "    { echo \"$everbit_how\"; sed -n -e \"s/" + RECOVERY_TIME + "/$everbit_at/g\" -e \"s/^$everbit_how //p\" " + inflight
                        + "; } > " + RECORD_FILE + ".tmp && mv -f " + RECORD_FILE + ".tmp " + RECORD_FILE + " || return 1",
                "  else",
                "    echo \"everbit: " + now + " finishing the record of an interrupted recovery of $everbit_what\"",
                "  fi",
                "  " + LEDGER_NEWLINE,
                // Written once: a recovery cut off after the append finds its lines at the ledger's end.
                "  everbit_n=$(sed 1d " + RECORD_FILE + " | wc -l)",
                "  [ \"$(tail -n \"$everbit_n\" " + ComposeProject.LEDGER_FILE + " 2>/dev/null)\" = \"$(sed 1d " + RECORD_FILE + ")\" ]"
                        + " || sed 1d " + RECORD_FILE + " >> " + ComposeProject.LEDGER_FILE + " || return 1",
                "  everbit_how=$(head -n 1 " + RECORD_FILE + ")",
                "  rm -f " + inflight + " " + ComposeProject.RESTORE_PIN_FILE + " " + ComposeProject.PROXY_RESTORE_FILE + " " + RECORD_FILE,
                "  [ \"$everbit_how\" = healthy ] || return 1",
                "  echo \"everbit: " + now + " restored $everbit_what\"",
                "}");
    }

    /**
     * Starts, once per switch, the guardian: a process of the session that ignores the signals ending the session
     * and holds the deploy lock's descriptor (inherited), so that when the session ends with a switch in flight (the
     * tool killed, the connection dropped or silent) it finishes the switch's recovery under the lock, then lets the
     * lock go. Nothing it starts keeps the descriptor (its {@code sleep}, the bounded restore), so killing the
     * guardian frees the lock at once. When it takes over, it names itself in the holder file.
     */
    private static String guardFunction() {
        String holder = ComposeProject.STATE_DIR + "/lock.holder";
        return String.join("\n",
                "everbit_guard() {",
                "  [ -n \"${everbit_guardian:-}\" ] && kill -0 \"$everbit_guardian\" 2>/dev/null && return 0",
                "  ( trap '' TERM INT HUP PIPE",
                "    while [ -f " + ComposeProject.INFLIGHT_FILE + " ] && kill -0 \"$everbit_session\" 2>/dev/null; do sleep 1 9>&-; done",
                "    [ -f " + ComposeProject.INFLIGHT_FILE + " ] || exit 0",
                // A builtin's redirection is opened by the shell itself: /proc/self is this subshell, not the session.
                "    read -r everbit_me everbit_rest </proc/self/stat 2>/dev/null || everbit_me='?'",
                "    printf 'the guardian (pid %s) of an interrupted switch, recovering it, since %s (before: %s)\\n' \"$everbit_me\""
                        + " \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"$(cat " + holder + " 2>/dev/null)\" > " + holder + ".tmp && mv -f "
                        + holder + ".tmp " + holder,
                "    everbit_recover",
                "  ) </dev/null >>" + ComposeProject.RECOVERY_LOG + " 2>&1 &",
                "  everbit_guardian=$!",
                "}");
    }

    /**
     * Marks a switch as in flight before anything changes: the pin to restore ({@code restorePin}, written by
     * {@link #writePin} to {@link ComposeProject#RESTORE_PIN_FILE}, or a proxy switch's restore file, or null for
     * nothing), then, atomically, the in-flight file: the health timeout and the recovery's limit, what to restore
     * ({@code restore image IMAGE}, {@code restore proxy}, {@code restore none}), and the ledger lines that make an
     * interruption true ({@link #RECOVERY_TIME} for their time), each after {@code healthy } or {@code unhealthy }:
     * whether the restore became healthy decides which are written. Then starts the guardian. Writing it again in
     * the same session replaces what an interruption records. Runs in the session's shell.
     */
    public RemoteScript beginSwitch(RemoteScript restorePin, String restore, int healthTimeoutSeconds,
                                    List<String> ifRestored, List<String> ifNotRestored) {
        String tmp = ComposeProject.INFLIGHT_FILE + ".tmp.$$";
        StringBuilder content = new StringBuilder().append(healthTimeoutSeconds).append(' ')
                .append(recoveryLimit(healthTimeoutSeconds)).append('\n').append("restore ").append(restore).append('\n');
        ifRestored.forEach(l -> content.append("healthy ").append(l).append('\n'));
        ifNotRestored.forEach(l -> content.append("unhealthy ").append(l).append('\n'));
        return RemoteScript.quiet("mark the switch as in flight", String.join("\n",
                "everbit_rc=0",
                "rm -f " + RECORD_FILE,
                restorePin == null ? "rm -f " + ComposeProject.RESTORE_PIN_FILE : "( " + restorePin.body() + " ) || everbit_rc=1",
                "[ \"$everbit_rc\" = 0 ] && printf '%s' " + quote(content.toString()) + " > " + tmp + " && mv -f " + tmp + " "
                        + ComposeProject.INFLIGHT_FILE + " && everbit_guard || everbit_rc=1",
                "(exit \"$everbit_rc\")"));
    }

    /** How long the VM's recovery of a switch may take: compose starting the release again, then its health wait. */
    public static int recoveryLimit(int healthTimeoutSeconds) {
        return healthTimeoutSeconds + STARTUP_MARGIN_SECONDS;
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
                "rm -f " + ComposeProject.INFLIGHT_FILE + " " + ComposeProject.RESTORE_PIN_FILE + " " + ComposeProject.PROXY_RESTORE_FILE
                        + " " + RECORD_FILE,
                "[ -z \"${everbit_guardian:-}\" ] || kill -9 \"$everbit_guardian\" 2>/dev/null; everbit_guardian=",
                "trap - TERM INT HUP",
                "(exit \"$everbit_rc\")"));
    }

    /**
     * Recovers a switch left in flight by a command whose guardian did not finish (the VM rebooted, the guardian was
     * killed): the lock is held now, so nothing else is recovering it. Prints what it restores; exits 1 when the
     * restore did not become healthy, {@link #DAMAGED} when the in-flight file is not what the tool writes.
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
