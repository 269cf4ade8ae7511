package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.Actionable, a superclass only. */
public abstract class Actionable extends AbstractModelObject {
}
