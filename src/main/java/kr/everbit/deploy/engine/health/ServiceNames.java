package kr.everbit.deploy.engine.health;

import java.util.regex.Pattern;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;

/** Compose service names given on the command line (--container, --logs), checked before use. */
public final class ServiceNames {
    private static final Pattern SERVICE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

    private ServiceNames() {
    }

    public static String require(String option, String service) {
        if (service == null || !SERVICE.matcher(service).matches()) {
            throw new InvalidInputException(option + " '" + Printable.of(service)
                    + "' is not a compose service name (letters, digits, '_', '.', '-')");
        }
        return service;
    }
}
