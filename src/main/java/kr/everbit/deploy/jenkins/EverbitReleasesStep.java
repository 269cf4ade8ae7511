package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import hudson.Extension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.flow.Status;
import kr.everbit.deploy.engine.flow.StatusReport;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.swarm.SwarmStatus;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code everbitReleases(limit: 10)}: the VM's release ledger, newest first, as a list of
 * {@code [sha:, action:, result:, at:]} maps (the shared library's Rollback job offers them as choices). Reads
 * only: it takes no lock. With {@code target: 'swarm'}, the cluster's ledger of the stack's service.
 */
public final class EverbitReleasesStep extends VmStep {
    static final String FUNCTION = "everbitReleases";
    private Integer limit;

    @DataBoundConstructor
    public EverbitReleasesStep() {
    }

    public Integer getLimit() {
        return limit;
    }

    /** At most this many entries, the newest; all when not given. */
    @DataBoundSetter
    public void setLimit(Integer limit) {
        this.limit = limit;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends EverbitExecution<List<Map<String, Object>>> {
        private static final long serialVersionUID = 1L;
        private final transient EverbitReleasesStep step;

        Execution(EverbitReleasesStep step, StepContext context) {
            super(context, FUNCTION);
            this.step = step;
        }

        @Override
        List<Map<String, Object>> execute(StepRun run) throws Exception {
            if (step.limit != null && step.limit < 1) {
                throw new AbortException(Texts.get("releases.limit", String.valueOf(step.limit)));
            }
            VmSettings settings = step.settings(run.defaults());
            List<LedgerEntry> history;
            if (settings.swarm()) {
                try (OpenSwarm open = OpenSwarm.open(run, settings)) {
                    SwarmStatus.Report report = new SwarmStatus().run(open.manager());
                    report.warnings().forEach(w -> run.progress().warn(w));
                    history = report.history();
                }
            } else {
                try (OpenVm open = OpenVm.open(run, settings)) {
                    StatusReport report = new Status().run(open.vm());
                    report.warnings().forEach(w -> run.progress().warn(w));
                    history = report.history();
                }
            }
            List<Map<String, Object>> releases = new ArrayList<>();
            int oldest = step.limit == null ? 0 : Math.max(0, history.size() - step.limit);
            for (int i = history.size() - 1; i >= oldest; i--) {
                LedgerEntry entry = history.get(i);
                Map<String, Object> release = new LinkedHashMap<>();
                release.put("sha", entry.sha());
                release.put("action", entry.action());
                release.put("result", entry.result());
                release.put("at", entry.at());
                releases.add(release);
            }
            return releases;
        }
    }

    @Extension
    public static final class DescriptorImpl extends VmStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return Texts.get("everbitReleases.displayName");
        }
    }
}
