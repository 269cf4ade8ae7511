package kr.everbit.deploy.engine.health;

import static kr.everbit.deploy.engine.Shell.call;

import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteScripts;

/**
 * The scripts that health checks and the post-deploy report run on the VM, as data: calls of the functions of
 * {@code everbit-health.sh} (part of {@link RemoteLibrary}, which says what each does and why), with every value
 * quoted once by {@link Shell#call}. Compose runs with the pin file when there is one, so that the containers are the
 * ones {@code up} manages, and without it before the first release.
 */
public final class HealthScripts {
    public static final String STATUS = "everbit_http_status=";
    static final String ERROR = "everbit_http_error=";
    static final String NO_CONTAINER = "everbit_no_container";
    public static final String TCP = "everbit_tcp=";

    /** The project is the session's: the VM side knows it from {@link RemoteScripts#openProject}. */
    public HealthScripts(RemoteScripts scripts) {
    }

    /**
     * GET {@code url} on the VM with curl, or wget where curl is missing (busybox images). Prints the body, then
     * {@code everbit_http_status=CODE} (empty or 000 without an answer), then, on failure, the client's last error
     * line as {@code everbit_http_error=...}.
     */
    public static RemoteScript httpGet(String url, int timeoutSeconds) {
        return RemoteScript.quiet("GET " + url + " on the VM", call("everbit_http_get", url, String.valueOf(timeoutSeconds)));
    }

    /**
     * Whether {@code host:port} accepts a TCP connection from the VM, by what the VM's shell has (bash's
     * {@code /dev/tcp}, else an {@code nc} that has {@code -z}). Prints {@code everbit_tcp=open TOOL},
     * {@code everbit_tcp=closed TOOL} or, with neither, {@code everbit_tcp=none}.
     */
    public static RemoteScript tcpConnect(String host, int port, int timeoutSeconds) {
        return RemoteScript.quiet("connect to " + host + ":" + port + " on the VM", call("everbit_tcp_connect", host,
                String.valueOf(port), String.valueOf(timeoutSeconds)));
    }

    /** {@code docker inspect} of the service's containers (stopped ones included), or a marker when there is none. */
    public RemoteScript inspect(String service) {
        return RemoteScript.quiet("inspect the containers of " + service, call("everbit_inspect", service));
    }

    /** The project's containers: JSON with compose v2 ({@code --format json}), the text table with v1. */
    public RemoteScript composePs() {
        return RemoteScript.quiet("list the project's containers", "everbit_compose_ps");
    }

    /** The last {@code lines} log lines of a service, as the standard's {@code compose logs --tail=200 server}. */
    public RemoteScript logs(String service, int lines) {
        return RemoteScript.quiet("read the logs of " + service, call("everbit_service_logs", service, String.valueOf(lines)));
    }
}
