package hudson.model;

/**
 * API shim (compile-only, never packaged): real signatures of hudson.model.Descriptor. {@code load()} and
 * {@code save()} do nothing here (real Jenkins reads and writes the descriptor's XML file).
 */
public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
    }

    public String getDisplayName() {
        return getClass().getSimpleName();
    }

    public void load() {
    }

    public void save() {
    }
}
