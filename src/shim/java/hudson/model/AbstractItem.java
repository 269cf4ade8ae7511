package hudson.model;

import hudson.security.ACL;

/** API shim (compile-only, never packaged): real signatures of hudson.model.AbstractItem. */
public abstract class AbstractItem extends Actionable implements Item {
    protected AbstractItem(ItemGroup parent, String name) {
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("compile-only API shim");
    }
}
