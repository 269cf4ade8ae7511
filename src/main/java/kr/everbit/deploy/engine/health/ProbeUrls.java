package kr.everbit.deploy.engine.health;

import java.net.URI;
import java.net.URISyntaxException;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;

/** Checks probe URLs before anything is contacted: absolute http or https with a host. */
public final class ProbeUrls {
    private ProbeUrls() {
    }

    public static URI parse(String option, String text) {
        try {
            return require(option, new URI(text == null ? "" : text));
        } catch (URISyntaxException e) {
            throw new InvalidInputException(option + " '" + Printable.of(text) + "' is not a URL: " + e.getReason());
        }
    }

    static URI require(String option, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new InvalidInputException(option + " '" + Printable.of(url.toString())
                    + "' must be an absolute http:// or https:// URL with a host (e.g. https://api.everbit.kr/)");
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidInputException(option + " '" + Printable.of(url.toString())
                    + "' must not carry a user or password: credentials do not belong in probe URLs");
        }
        return url;
    }
}
