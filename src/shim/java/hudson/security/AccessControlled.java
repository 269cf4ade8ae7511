package hudson.security;

/** API shim (compile-only, never packaged): real signatures of hudson.security.AccessControlled. */
public interface AccessControlled {
    ACL getACL();

    default boolean hasPermission(Permission permission) {
        return getACL().hasPermission(permission);
    }
}
