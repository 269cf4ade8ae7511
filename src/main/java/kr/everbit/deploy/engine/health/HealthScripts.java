package kr.everbit.deploy.engine.health;

import static kr.everbit.deploy.engine.Shell.quote;

import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteScripts;

/**
 * The shell scripts that health checks and the post-deploy report run on the VM, as data. Compose runs with the
 * pin file when there is one, so that the containers are the ones {@code up} manages, and without it before the
 * first release.
 */
public final class HealthScripts {
    public static final String STATUS = "everbit_http_status=";
    static final String ERROR = "everbit_http_error=";
    static final String NO_CONTAINER = "everbit_no_container";
    public static final String TCP = "everbit_tcp=";
    private final RemoteScripts scripts;

    public HealthScripts(RemoteScripts scripts) {
        this.scripts = scripts;
    }

    /**
     * GET {@code url} on the VM with curl, or wget where curl is missing (busybox images). Prints the body, then
     * {@code everbit_http_status=CODE} (empty or 000 without an answer), then, on failure, the client's last error
     * line as {@code everbit_http_error=...}. Stderr goes to a file so that it cannot interleave with the body.
     */
    public static RemoteScript httpGet(String url, int timeoutSeconds) {
        return RemoteScript.quiet("GET " + url + " on the VM", httpGetShell(quote(url), timeoutSeconds));
    }

    /** {@link #httpGet}'s shell, for the URL the shell word {@code urlWord} expands to (quoted by the caller). */
    public static String httpGetShell(String urlWord, int timeoutSeconds) {
        String t = String.valueOf(timeoutSeconds);
        return String.join("\n",
                "everbit_u=" + urlWord,
                "everbit_e=$(mktemp) || exit 1",
                // A stopped step ends this shell with SIGTERM, on which sh runs no EXIT trap of its own.
                "trap 'rm -f \"$everbit_e\"' EXIT",
                "trap 'rm -f \"$everbit_e\"; exit 143' INT TERM HUP",
                "if command -v curl >/dev/null 2>&1; then",
                "  curl -sS --connect-timeout " + t + " --max-time " + t + " -o - -w '\\n" + STATUS + "%{http_code}\\n' \"$everbit_u\" 2>\"$everbit_e\"",
                "elif command -v wget >/dev/null 2>&1; then",
                // Not wget -T: Debian's busybox 1.35 wget crashes with it.
                "  everbit_to=; command -v timeout >/dev/null 2>&1 && everbit_to=\"timeout " + t + "\"",
                "  $everbit_to wget -S -O - \"$everbit_u\" 2>\"$everbit_e\"",
                "  printf '\\n" + STATUS + "%s\\n' \"$(sed -n 's|^ *HTTP/[0-9.]* \\([0-9][0-9][0-9]\\).*|\\1|p' \"$everbit_e\" | tail -n 1)\"",
                "else",
                "  echo 'neither curl nor wget is installed on the VM' >\"$everbit_e\"; printf '\\n" + STATUS + "\\n'",
                "fi",
                "sed -n '/[^[:space:]]/h; ${x;s/^/" + ERROR + "/;p;}' \"$everbit_e\"");
    }

    /**
     * Whether {@code host:port} accepts a TCP connection from the VM, by what the VM's shell has: bash's
     * {@code /dev/tcp} (not POSIX sh's, so bash is asked for by name), else an {@code nc} that has {@code -z}; each under
     * {@code timeout} where it exists, as a dropped SYN would otherwise hang. Prints {@code everbit_tcp=open TOOL},
     * {@code everbit_tcp=closed TOOL} or, with neither, {@code everbit_tcp=none}.
     */
    public static RemoteScript tcpConnect(String host, int port, int timeoutSeconds) {
        return RemoteScript.quiet("connect to " + host + ":" + port + " on the VM", tcpConnectShell(quote(host), port,
                timeoutSeconds));
    }

    /** {@link #tcpConnect}'s shell, for the host the shell word {@code hostWord} expands to (quoted by the caller). */
    public static String tcpConnectShell(String hostWord, int port, int timeoutSeconds) {
        String t = String.valueOf(timeoutSeconds);
        return String.join("\n",
                "everbit_h=" + hostWord + "; everbit_p=" + port,
                "everbit_to=; command -v timeout >/dev/null 2>&1 && everbit_to=\"timeout " + t + "\"",
                "if command -v bash >/dev/null 2>&1; then",
                "  if $everbit_to bash -c 'exec 3<>\"/dev/tcp/$1/$2\"' everbit \"$everbit_h\" \"$everbit_p\" 2>/dev/null; then",
                "    echo '" + TCP + "open bash'; else echo '" + TCP + "closed bash'; fi",
                // busybox's small nc has no -z (it would wait for input instead): only an nc that lists -z counts.
                "elif command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -e '-z'; then",
                "  if $everbit_to nc -z -w " + t + " \"$everbit_h\" \"$everbit_p\" </dev/null >/dev/null 2>&1; then",
                "    echo '" + TCP + "open nc'; else echo '" + TCP + "closed nc'; fi",
                "else",
                "  echo '" + TCP + "none'",
                "fi");
    }

    /** {@code docker inspect} of the service's containers (stopped ones included), or a marker when there is none. */
    public RemoteScript inspect(String service) {
        return RemoteScript.quiet("inspect the containers of " + service, String.join("\n",
                composeFunction(),
                "everbit_ids=$(everbit_dcp ps -a -q " + quote(service) + ") || exit 1",
                "[ -n \"$everbit_ids\" ] || { echo " + NO_CONTAINER + "; exit 0; }",
                "docker inspect $everbit_ids"));
    }

    /**
     * The project's containers: JSON with compose v2 ({@code --format json}), the text table with v1. The version
     * is asked, because compose 1.29 answers the unknown option with its usage on stderr and exit 0.
     */
    public RemoteScript composePs() {
        return RemoteScript.quiet("list the project's containers", String.join("\n",
                composeFunction(),
                "case \"$(everbit_dc version --short 2>/dev/null)\" in",
                "  1.*) everbit_dcp ps -a 2>&1 ;;",
                "  *) everbit_dcp ps -a --format json 2>&1 ;;",
                "esac"));
    }

    /** The last {@code lines} log lines of a service, as the standard's {@code compose logs --tail=200 server}. */
    public RemoteScript logs(String service, int lines) {
        return RemoteScript.quiet("read the logs of " + service, String.join("\n",
                composeFunction(),
                "everbit_dcp logs --no-color --tail=" + lines + " " + quote(service) + " 2>&1; true"));
    }

    /** Compose with the pin, and in proxy mode the slots too, so that the report shows the slots that run. */
    private String composeFunction() {
        String slots = "$( [ ! -f " + ComposeProject.SLOTS_FILE + " ] || echo '-f " + ComposeProject.SLOTS_FILE + "' )";
        return "everbit_dcp() { if [ -f " + ComposeProject.PIN_FILE + " ]; then " + scripts.compose(ComposeProject.PIN_FILE)
                + " " + slots + " \"$@\"; else " + scripts.compose(null) + " " + slots + " \"$@\"; fi; }";
    }
}
