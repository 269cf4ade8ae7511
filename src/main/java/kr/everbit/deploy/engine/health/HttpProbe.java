package kr.everbit.deploy.engine.health;

import java.net.URI;

/**
 * The public side, from where the tool runs ({@code curl -I https://api.everbit.kr} of the standard): passes on
 * 2xx and 3xx; for HTTPS it reports the certificate's days to expiry and warns when fewer than 14 are left.
 */
public final class HttpProbe implements Probe {
    static final long WARN_DAYS = 14;
    private final URI url;
    private final HttpGet http;

    public HttpProbe(URI url, HttpGet http) {
        this.url = ProbeUrls.require("--url", url);
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
