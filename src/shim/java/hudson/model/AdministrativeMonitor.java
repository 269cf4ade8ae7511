package hudson.model;

/** API shim (compile-only, never packaged): real signatures of hudson.model.AdministrativeMonitor. */
public abstract class AdministrativeMonitor extends AbstractModelObject {
    protected AdministrativeMonitor() {
    }

    public abstract boolean isActivated();

    public boolean isSecurity() {
        return false;
    }

    public String getDisplayName() {
        return getClass().getSimpleName();
    }
}
