package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.Describable, no member used. */
public interface Describable<T extends Describable<T>> {
}
