package hudson.security;

import org.springframework.security.core.Authentication;

/** API shim (compile-only, never packaged): real signatures of hudson.security.ACL. */
public abstract class ACL {
    /** The real value is Jenkins' system authentication; null here keeps javac from inlining anything. */
    public static final Authentication SYSTEM2 = null;

    public final boolean hasPermission(Permission p) {
        throw new UnsupportedOperationException("compile-only API shim");
    }
}
