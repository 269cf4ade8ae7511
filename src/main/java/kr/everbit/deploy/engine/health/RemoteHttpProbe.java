package kr.everbit.deploy.engine.health;

import java.net.URI;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The internal side, fetched on the VM (Spring actuator on 127.0.0.1): passes on 2xx and, when the body is JSON
 * with a {@code status}, only when that status is UP. A DOWN names the components that are not UP.
 */
public final class RemoteHttpProbe implements Probe {
    private final URI url;
    private final HttpGet http;

    /** A URL fetched on the VM. */
    public record Spec(URI url) implements ProbeSpec {
        public Spec {
            ProbeUrls.require(Setting.REMOTE_URL.ref(), url);
        }

        @Override
        public boolean onVm() {
            return true;
        }

        @Override
        public Probe probe(ProbeContext context) {
            context.vmShell();
            return new RemoteHttpProbe(url, context.remote());
        }
    }

    public RemoteHttpProbe(URI url, HttpGet http) {
        this.url = ProbeUrls.require(Setting.REMOTE_URL.ref(), url);
        this.http = http;
    }

    @Override
    public String name() {
        return "remote-url " + url;
    }

    @Override
    public Observation check() {
        HttpAnswer answer = http.get(url);
        if (!answer.answered()) {
            return Observation.fail(answer.failure());
        }
        ActuatorHealth health = ActuatorHealth.parse(answer.body());
        String observed = "HTTP " + answer.status() + (health.hasStatus() ? ", status " + health.status() : "")
                + (health.notUp().isEmpty() ? "" : " (" + String.join(", ", health.notUp()) + ")");
        if (!answer.is2xx()) {
            return Observation.fail(observed + " (expected 2xx)");
        }
        if (health.hasStatus() && !health.up()) {
            return Observation.fail(observed + " (expected status UP)");
        }
        return Observation.pass(observed);
    }
}
