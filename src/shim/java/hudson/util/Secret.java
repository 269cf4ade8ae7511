package hudson.util;

import java.io.Serializable;

/** API shim (compile-only, never packaged): real signatures of hudson.util.Secret (kept in plain text here). */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret fromString(String data) {
        return new Secret(data == null ? "" : data);
    }

    public String getPlainText() {
        return value;
    }
}
