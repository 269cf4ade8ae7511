package kr.everbit.deploy.engine.proxy;

import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.health.ProbeUrls;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The switch without a reload ({@link Setting#PROXY_SWAP} {@code flag}): the operator's Nginx has a static upstream
 * block per slot, named as the slot's compose service ({@code server-blue}, {@code server-green}), and picks one on
 * each request by whether a flag file exists (green when it does); it names the block it picked in the response
 * header {@value #HEADER}. The tool flips the file, then confirms the switch by a request through Nginx to
 * {@code confirmUrl} whose header names the new slot.
 *
 * @param file       the flag file on the VM, relative to the deploy dir or absolute
 * @param confirmUrl an http(s) URL fetched on the VM that reaches the service through Nginx
 */
public record ProxyFlag(String file, String confirmUrl) {
    /** The response header in which the operator's Nginx names the slot it sent a request to. */
    public static final String HEADER = "X-Everbit-Slot";
    private static final int LONGEST_URL = 2000;

    public ProxyFlag {
        file = ProxySettings.file(Setting.PROXY_FLAG, file);
        if (confirmUrl == null || confirmUrl.isBlank()) {
            throw new InvalidInputException(Setting.PROXY_SWAP.ref() + " flag needs " + Setting.PROXY_CONFIRM_URL.ref()
                    + ": a URL the VM reaches the service at through Nginx (e.g. http://127.0.0.1/actuator/health), whose "
                    + HEADER + " header tells the tool which slot answered");
        }
        if (confirmUrl.length() > LONGEST_URL || confirmUrl.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new InvalidInputException(Setting.PROXY_CONFIRM_URL.ref() + " '" + Printable.of(confirmUrl)
                    + "' must be a URL of at most " + LONGEST_URL + " printable ASCII characters, without spaces");
        }
        ProbeUrls.parse(Setting.PROXY_CONFIRM_URL.ref(), confirmUrl);
    }

    /** Whether the flag file exists when {@code slot} is live: it names green. */
    static String state(Slot slot) {
        return slot == Slot.GREEN ? "present" : "absent";
    }

    /** The slot Nginx sends to with the flag file {@code present} or not. */
    static Slot slot(boolean present) {
        return present ? Slot.GREEN : Slot.BLUE;
    }
}
