package jenkins.model;

import hudson.model.Describable;
import hudson.model.Descriptor;

/** API shim (compile-only, never packaged): jenkins.model.GlobalConfiguration, a superclass only. */
public abstract class GlobalConfiguration extends Descriptor<GlobalConfiguration>
        implements Describable<GlobalConfiguration> {
    protected GlobalConfiguration() {
    }
}
