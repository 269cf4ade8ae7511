package kr.everbit.deploy.engine.proxy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

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

    /** Reads a state line; null when it is not one. */
    public static ProxyRelease parse(String line) {
        String[] f = line == null ? new String[0] : line.strip().split(" +");
        if (f.length < 3) {
            return null;
        }
        String until = null;
        if (f.length > 3) {
            try {
                until = Instant.ofEpochSecond(Long.parseLong(f[3])).toString();
            } catch (NumberFormatException e) {
                return null;
            }
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
