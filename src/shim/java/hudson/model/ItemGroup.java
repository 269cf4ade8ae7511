package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.ItemGroup, a parameter type only. */
public interface ItemGroup<T extends Item> {
}
