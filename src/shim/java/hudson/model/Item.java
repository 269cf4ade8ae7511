package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

/** API shim (compile-only, never packaged): real signatures of hudson.model.Item. */
public interface Item extends AccessControlled {
    /** The real value is a Permission object; null here keeps javac from inlining anything. */
    Permission EXTENDED_READ = null;
}
