package hudson.security;

/** API shim (compile-only, never packaged): hudson.security.Permission, a field type only. */
public final class Permission {
    private Permission() {
    }
}
