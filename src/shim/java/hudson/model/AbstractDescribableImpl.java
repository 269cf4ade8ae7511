package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.AbstractDescribableImpl, a superclass only. */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
}
