package hudson.util;

import java.io.IOException;

/** API shim (compile-only, never packaged): real signatures of hudson.util.FormValidation. */
public abstract class FormValidation extends IOException {
    private FormValidation() {
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException("compile-only API shim");
    }

    public static FormValidation warning(String message) {
        throw new UnsupportedOperationException("compile-only API shim");
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("compile-only API shim");
    }
}
