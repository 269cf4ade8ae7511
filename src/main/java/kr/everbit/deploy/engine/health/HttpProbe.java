package kr.everbit.deploy.engine.health;

import java.net.URI;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The public side, from where the tool runs ({@code curl -I https://api.everbit.kr} of the standard): passes on
 * 2xx and 3xx; for HTTPS it reports the certificate's days to expiry and warns when fewer than 14 are left.
 */
public final class HttpProbe implements Probe {
    static final long WARN_DAYS = 14;
    private final URI url;
    private final HttpGet http;

    /** A URL checked from here. */
    public record Spec(URI url) implements ProbeSpec {
        public Spec {
            ProbeUrls.require(Setting.URL.ref(), url);
        }

        @Override
        public boolean onVm() {
            return false;
        }

        @Override
        public Probe probe(ProbeContext context) {
            return new HttpProbe(url, context.local());
        }
    }

    public HttpProbe(URI url, HttpGet http) {
        this.url = ProbeUrls.require(Setting.URL.ref(), url);
        this.http = http;
    }

    @Override
    public String name() {
        return "url " + url;
    }

    @Override
    public Observation check() {
        HttpAnswer answer = http.get(url);
        if (!answer.answered()) {
            return Observation.fail(answer.failure());
        }
        Long days = answer.certificateDaysLeft();
        String observed = "HTTP " + answer.status() + (days == null ? "" : ", certificate expires in " + days + " days");
        Observation seen = answer.status() >= 200 && answer.status() < 400
                ? Observation.pass(observed)
                : Observation.fail(observed + " (expected 2xx or 3xx)");
        if (days != null && days < WARN_DAYS) {
            return seen.withWarning("the TLS certificate of " + url.getHost() + " expires in " + days
                    + " days: renew it now (certbot renew, then nginx reload)");
        }
        return seen;
    }
}
