package kr.everbit.deploy.jenkins;

import hudson.Extension;
import kr.everbit.deploy.engine.flow.Rollback;
import kr.everbit.deploy.engine.flow.RollbackRequest;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import kr.everbit.deploy.engine.swarm.SwarmRollback;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code rollbackToSha(sha: 'previous')} or {@code rollbackToSha(sha: SHA)}: runs an earlier release again, from the
 * image kept on the VM when it is there (no registry needed), and records the rollback with its reason in the VM's
 * ledger; returns the SHA now running. With {@code target: 'swarm'}, on the stack, from the cluster's ledger.
 */
public final class RollbackToShaStep extends ReleaseStep {
    static final String FUNCTION = "rollbackToSha";
    private final String sha;
    private String reason;
    private String failedChecks;

    @DataBoundConstructor
    public RollbackToShaStep(String sha) {
        this.sha = Settings.blankToNull(sha);
    }

    public String getSha() {
        return sha;
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = Settings.blankToNull(reason);
    }

    public String getFailedChecks() {
        return failedChecks;
    }

    /**
     * The SHA whose checks failed, still running: the ledger records that, so 'previous' never points back at it.
     * When the VM has moved since (the ledger's current release is another), the step changes nothing and fails.
     */
    @DataBoundSetter
    public void setFailedChecks(String failedChecks) {
        this.failedChecks = Settings.blankToNull(failedChecks);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends EverbitExecution<String> {
        private static final long serialVersionUID = 1L;
        private final transient RollbackToShaStep step;

        Execution(RollbackToShaStep step, StepContext context) {
            super(context, FUNCTION);
            this.step = step;
        }

        @Override
        String execute(StepRun run) throws Exception {
            EverbitGlobalConfiguration defaults = run.defaults();
            VmSettings settings = step.settings(defaults);
            ProxySettings proxy = step.proxy(defaults);
            StartRules starting = step.startRules(defaults);
            String to = Required.rollbackTarget(step.sha);
            RollbackRequest request = new RollbackRequest(step.lockTimeout(defaults), step.healthTimeout(defaults),
                    run.runtime().actor(), step.reason, step.registryLogin(run), step.failedChecks);
            if (settings.swarm()) {
                VmStep.refuseOnSwarm(settings, proxy != null, "switch: 'proxy' (the swarm's update_config replaces tasks)");
                try (OpenSwarm open = OpenSwarm.open(run, settings)) {
                    return new SwarmRollback(run.progress()).run(open.manager(), to, request).current();
                }
            }
            try (OpenVm open = OpenVm.open(run, settings)) {
                open.useProxy(proxy);
                open.vm().useStartRules(starting);
                return new Rollback(run.progress()).run(open.vm(), to, request).current();
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends ReleaseStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return Texts.get("rollbackToSha.displayName");
        }
    }
}
