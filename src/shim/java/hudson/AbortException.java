package hudson;

import java.io.IOException;

/** API shim (compile-only, never packaged): real signatures of hudson.AbortException. */
public class AbortException extends IOException {
    public AbortException(String message) {
        super(message);
    }
}
