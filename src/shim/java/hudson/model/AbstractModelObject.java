package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.AbstractModelObject, a superclass only. */
public abstract class AbstractModelObject {
}
