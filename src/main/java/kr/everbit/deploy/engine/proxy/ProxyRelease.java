package kr.everbit.deploy.engine.proxy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.ledger.Ledger;

/**
 * A release that runs in proxy mode: the live one (Nginx sends to it) or the warm one (out of rotation, kept running
 * until {@code until} for an instant rollback). One line of {@code proxy.live} / {@code proxy.warm}:
 * {@code SERVICE IMAGE ADDRESS [EPOCH]}.
 *
 * @param service the compose service it runs as ({@code server-blue}, or the plain service before proxy mode)
 * @param address where Nginx reaches it, or {@code -} when unknown (the plain service: not a swap target)
 * @param until   when the warm window ends (ISO-8601, UTC); null for the live release
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyRelease(String service, String image, String address, String until) {
    public static final String UNKNOWN_ADDRESS = "-";

    /** The latest epoch second a warm window may end at (9999-12-31T23:59:59Z), so that it is always an instant. */
    private static final long LAST_EPOCH = 253_402_300_799L;
    private static final Pattern SERVICE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final Pattern ADDRESS = Pattern.compile("(?:[A-Za-z0-9][A-Za-z0-9._-]{0,252}|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}");
    private static final Pattern EPOCH = Pattern.compile("[0-9]{1,12}");

    /**
     * Reads a state line as data; null when it is not what the tool writes: a compose service name, a release image
     * (a repository tagged with a SHA), an address ({@code host:port} or {@code -}) and, for the warm release, an
     * epoch second in range. No other value reaches a script or a message.
     */
    public static ProxyRelease parse(String line) {
        String[] f = line == null ? new String[0] : line.strip().split(" +");
        if (f.length < 3 || f.length > 4 || !SERVICE.matcher(f[0]).matches() || !Ledger.isReleaseImage(f[1], null)
                || !(UNKNOWN_ADDRESS.equals(f[2]) || ADDRESS.matcher(f[2]).matches())) {
            return null;
        }
        String until = null;
        if (f.length > 3) {
            if (!EPOCH.matcher(f[3]).matches() || Long.parseLong(f[3]) > LAST_EPOCH) {
                return null;
            }
            until = Instant.ofEpochSecond(Long.parseLong(f[3])).toString();
        }
        return new ProxyRelease(f[0], f[1], f[2], until);
    }

    /** The SHA of the image's tag (the release), or the whole image when its tag is no SHA. */
    public String sha() {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    long untilEpoch() {
        return until == null ? 0 : Instant.parse(until).getEpochSecond();
    }

    static String line(String service, String image, String address) {
        return service + " " + image + " " + address;
    }

    static String line(String service, String image, String address, long untilEpoch) {
        return line(service, image, address) + " " + untilEpoch;
    }
}
