package hudson.model;

/** API shim (compile-only, never packaged): hudson.model.Job, the bound of Run's type parameters. */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends AbstractItem {
    protected Job(ItemGroup parent, String name) {
        super(parent, name);
    }
}
