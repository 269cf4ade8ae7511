package kr.everbit.deploy.engine.health;

import java.net.URI;
import java.net.URISyntaxException;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Secret;

/** Checks probe URLs before anything is contacted: absolute http or https with a host and, if any, a TCP port. */
public final class ProbeUrls {
    private ProbeUrls() {
    }

    public static URI parse(String option, String given) {
        String text = given == null ? "" : given;
        try {
            return require(option, new URI(text));
        } catch (URISyntaxException e) {
            throw new InvalidInputException(option + " '" + Printable.of(text.replaceAll("//[^/]*@", "//" + Secret.MASK + "@"))
                    + "' is not a URL: " + e.getReason());
        }
    }

    static URI require(String option, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        boolean web = scheme.equals("http") || scheme.equals("https");
        String authority = url.getRawAuthority();
        if (web && authority != null && authority.contains("@")) {
            throw new InvalidInputException(option + " '" + shown(url) + "' must not carry a user or password:"
                    + " credentials do not belong in probe URLs");
        }
        if (web && url.getHost() == null && authority != null) {
            // java.net.URI leaves the host out when the authority is no HOST[:PORT] (a_b.example, 127.0.0.1:99999999999).
            throw new InvalidInputException(option + " '" + shown(url) + "': '" + Printable.of(authority)
                    + "' is not a host name or address with an optional port (1-65535)");
        }
        if (!web || url.getHost() == null) {
            throw new InvalidInputException(option + " '" + shown(url)
                    + "' must be an absolute http:// or https:// URL with a host (e.g. https://api.everbit.kr/)");
        }
        if (url.getPort() != -1) {
            Setting.tcpPort(option + " '" + shown(url) + "': port", url.getPort());
        }
        return url;
    }

    /** The URL for a message, a user and password in it masked. */
    private static String shown(URI url) {
        String authority = url.getRawAuthority();
        String text = url.toString();
        if (authority != null && authority.contains("@")) {
            String userInfo = authority.substring(0, authority.lastIndexOf('@') + 1);
            text = text.replace(userInfo, Secret.MASK + "@");
        }
        return Printable.of(text);
    }
}
