package kr.everbit.deploy.engine.health;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/** Turns a failed TLS handshake into the reason an operator can act on. */
final class TlsFailure {
    private TlsFailure() {
    }

    static String explain(Throwable failure, String host) {
        // The JDK nests the precise cause (with the NotAfter date) under a generic path-validation error.
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "the TLS certificate of " + host + " has expired (" + t.getMessage() + "): renew it (certbot renew, nginx reload)";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "the TLS certificate of " + host + " is not valid yet (" + t.getMessage() + "): check the clocks";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "the TLS certificate of " + host + " (or its chain) has expired: renew it (certbot renew, nginx reload)";
            }
        }
        String text = allMessages(failure);
        if (text.contains("unable to find valid certification path")) {
            return "the TLS certificate of " + host + " is not signed by a trusted CA"
                    + " (use {caFile} for a private CA; check that Nginx sends the full chain)";
        }
        if (text.contains("No subject alternative") || text.contains("No name matching")) {
            return "the TLS certificate does not name " + host + " (" + lastMessage(failure) + ")";
        }
        return "TLS handshake with " + host + " failed: " + lastMessage(failure);
    }

    private static String allMessages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static String lastMessage(Throwable failure) {
        String said = String.valueOf(failure.getMessage());
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                said = t.getMessage();
            }
        }
        return said;
    }
}
