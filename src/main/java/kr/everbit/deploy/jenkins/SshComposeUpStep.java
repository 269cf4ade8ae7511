package kr.everbit.deploy.jenkins;

import hudson.Extension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.flow.ComposeUp;
import kr.everbit.deploy.engine.flow.GuardedDeployRequest;
import kr.everbit.deploy.engine.flow.UpRequest;
import kr.everbit.deploy.engine.flow.UpResult;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import kr.everbit.deploy.engine.swarm.SwarmDeploy;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code sshComposeUp(sha: env.GIT_COMMIT)}: over one SSH connection from the agent, takes the VM's deploy lock,
 * pulls {@code IMAGE:SHA}, pins it, runs {@code docker compose up -d}, waits until the service is healthy, records
 * the release in the VM's ledger and prunes old images; returns {@code [previous: SHA, current: SHA]}. When the new
 * release does not become healthy, the previous one is started again and the step fails. With {@code target: 'swarm'}
 * the same release goes to the stack through the manager {@code host} names, as {@code everbit-deploy up --target
 * swarm} does: the swarm rolls it out, the step waits until every task runs it.
 */
public final class SshComposeUpStep extends ReleaseStep {
    static final String FUNCTION = "sshComposeUp";
    private final String sha;
    private Integer retain;

    @DataBoundConstructor
    public SshComposeUpStep(String sha) {
        this.sha = Settings.blankToNull(sha);
    }

    public String getSha() {
        return sha;
    }

    public Integer getRetain() {
        return retain;
    }

    @DataBoundSetter
    public void setRetain(Integer retain) {
        this.retain = retain;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends EverbitExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient SshComposeUpStep step;

        Execution(SshComposeUpStep step, StepContext context) {
            super(context, FUNCTION);
            this.step = step;
        }

        @Override
        Map<String, Object> execute(StepRun run) throws Exception {
            EverbitGlobalConfiguration defaults = run.defaults();
            VmSettings settings = step.settings(defaults);
            ProxySettings proxy = step.proxy(defaults);
            StartRules starting = step.startRules(defaults);
            UpRequest request = new UpRequest(Required.release(step.sha), step.registryLogin(run),
                    Settings.pick(step.retain, defaults.getRetain()), step.lockTimeout(defaults),
                    step.healthTimeout(defaults), run.runtime().actor());
            if (settings.swarm()) {
                VmStep.refuseOnSwarm(settings, proxy != null, "switch: 'proxy' (the swarm's update_config replaces tasks)");
                try (OpenSwarm open = OpenSwarm.open(run, settings)) {
                    return releases(new SwarmDeploy(run.progress()).run(open.manager(), List.of(),
                            new GuardedDeployRequest(request, null, null)).deployed());
                }
            }
            try (OpenVm open = OpenVm.open(run, settings)) {
                open.useProxy(proxy);
                open.vm().useStartRules(starting);
                return releases(new ComposeUp(run.progress()).run(open.vm(), request));
            }
        }

        private static Map<String, Object> releases(UpResult result) {
            Map<String, Object> releases = new LinkedHashMap<>();
            releases.put("previous", result.previous());
            releases.put("current", result.current());
            return releases;
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
            return Texts.get("sshComposeUp.displayName");
        }
    }
}
