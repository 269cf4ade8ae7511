package hudson.model;

/** API shim (compile-only, never packaged): real signatures of hudson.model.Run. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    protected Run(JobT job, long timestamp) {
    }

    public String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only API shim");
    }
}
