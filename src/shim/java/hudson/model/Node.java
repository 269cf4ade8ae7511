package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.Node, a superclass only. */
public abstract class Node extends AbstractModelObject {
}
