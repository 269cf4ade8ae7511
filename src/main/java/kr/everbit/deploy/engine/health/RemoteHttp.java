package kr.everbit.deploy.engine.health;

import java.net.URI;
import kr.everbit.deploy.engine.remote.RemoteShell;

/** HTTP GET sent from the VM over the session's one SSH connection, for what listens only there. */
public final class RemoteHttp implements HttpGet {
    private final RemoteShell shell;
    private final int timeoutSeconds;

    public RemoteHttp(RemoteShell shell, int timeoutSeconds) {
        this.shell = shell;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public HttpAnswer get(URI uri) {
        return RemoteHttpOutput.parse(shell.run(HealthScripts.httpGet(uri.toString(), timeoutSeconds)));
    }
}
