package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.AbstractCIBase, a superclass only. */
public abstract class AbstractCIBase extends Node {
}
