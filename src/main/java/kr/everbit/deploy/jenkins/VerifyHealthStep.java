package kr.everbit.deploy.jenkins;

import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.AbortException;
import hudson.Extension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.flow.Verify;
import kr.everbit.deploy.engine.flow.VerifyOptions;
import kr.everbit.deploy.engine.flow.VerifyReport;
import kr.everbit.deploy.engine.flow.VerifyReportJson;
import kr.everbit.deploy.engine.flow.VerifyReportText;
import kr.everbit.deploy.engine.health.ContainerProbe;
import kr.everbit.deploy.engine.health.HealthScripts;
import kr.everbit.deploy.engine.health.HttpProbe;
import kr.everbit.deploy.engine.health.HttpGet;
import kr.everbit.deploy.engine.health.NoDataPolicy;
import kr.everbit.deploy.engine.health.Probe;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.ProbeSpec;
import kr.everbit.deploy.engine.health.ProbeUrls;
import kr.everbit.deploy.engine.health.PromQuery;
import kr.everbit.deploy.engine.health.PrometheusProbe;
import kr.everbit.deploy.engine.health.RemoteHttp;
import kr.everbit.deploy.engine.health.RemoteHttpProbe;
import kr.everbit.deploy.engine.health.TcpProbe;
import kr.everbit.deploy.engine.settings.Setting;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code verifyHealth()}: polls the probes (URLs from the agent, URLs on the VM, compose containers, ports that
 * must answer on the VM, Prometheus limits) until each passes or the timeout ends, then holds the metric probes for
 * the settle time. Returns the report as a map; when a probe does not pass, the step fails with the probe table.
 */
public final class VerifyHealthStep extends VmStep {
    static final String FUNCTION = "verifyHealth";
    private static final ObjectMapper JSON = new ObjectMapper();
    private List<String> urls;
    private List<String> remoteUrls;
    private List<String> containers;
    private List<String> tcp;
    private List<PrometheusLimit> prometheus;
    private Boolean prometheusViaSsh;
    private String noData;
    private Integer timeout;
    private Integer settle;

    @DataBoundConstructor
    public VerifyHealthStep() {
    }

    public List<String> getUrls() {
        return urls;
    }

    @DataBoundSetter
    public void setUrls(List<String> urls) {
        this.urls = urls == null || urls.isEmpty() ? null : List.copyOf(urls);
    }

    public List<String> getRemoteUrls() {
        return remoteUrls;
    }

    @DataBoundSetter
    public void setRemoteUrls(List<String> remoteUrls) {
        this.remoteUrls = remoteUrls == null || remoteUrls.isEmpty() ? null : List.copyOf(remoteUrls);
    }

    public List<String> getContainers() {
        return containers;
    }

    @DataBoundSetter
    public void setContainers(List<String> containers) {
        this.containers = containers == null || containers.isEmpty() ? null : List.copyOf(containers);
    }

    public List<String> getTcp() {
        return tcp;
    }

    @DataBoundSetter
    public void setTcp(List<String> tcp) {
        this.tcp = tcp == null || tcp.isEmpty() ? null : List.copyOf(tcp);
    }

    public List<PrometheusLimit> getPrometheus() {
        return prometheus;
    }

    @DataBoundSetter
    public void setPrometheus(List<PrometheusLimit> prometheus) {
        this.prometheus = prometheus == null || prometheus.isEmpty() ? null : List.copyOf(prometheus);
    }

    public Boolean getPrometheusViaSsh() {
        return prometheusViaSsh;
    }

    @DataBoundSetter
    public void setPrometheusViaSsh(Boolean prometheusViaSsh) {
        this.prometheusViaSsh = prometheusViaSsh;
    }

    public String getNoData() {
        return noData;
    }

    @DataBoundSetter
    public void setNoData(String noData) {
        this.noData = Settings.blankToNull(noData);
    }

    public Integer getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(Integer timeout) {
        this.timeout = timeout;
    }

    public Integer getSettle() {
        return settle;
    }

    @DataBoundSetter
    public void setSettle(Integer settle) {
        this.settle = settle;
    }

    /** The probes, each list from the step or else from the global configuration; checked by the engine. */
    ProbePlan plan(EverbitGlobalConfiguration defaults) throws AbortException {
        List<ProbeSpec> specs = new ArrayList<>();
        Settings.pick(urls, defaults.healthUrlList())
                .forEach(u -> specs.add(new HttpProbe.Spec(ProbeUrls.parse(Setting.URL.ref(), u))));
        Settings.pick(remoteUrls, defaults.remoteHealthUrlList())
                .forEach(u -> specs.add(new RemoteHttpProbe.Spec(ProbeUrls.parse(Setting.REMOTE_URL.ref(), u))));
        Settings.pick(containers, defaults.healthContainerList()).forEach(c -> specs.add(new ContainerProbe.Spec(c)));
        Settings.pick(tcp, defaults.healthTcpList()).forEach(t -> specs.add(TcpProbe.Spec.parse(t)));
        List<PromQuery> queries = new ArrayList<>();
        for (PrometheusLimit limit : Settings.pick(prometheus, defaults.prometheusLimits())) {
            queries.add(new PromQuery(ProbeUrls.parse(Setting.PROMETHEUS.ref(), limit.getUrl()), limit.getQuery(), limit.getMax()));
        }
        specs.addAll(PrometheusProbe.specs(queries, prometheusViaSsh != null ? prometheusViaSsh : defaults.isPrometheusViaSsh(),
                NoDataPolicy.of(noData)));
        return new ProbePlan(specs, null, Setting.httpTimeoutFor(Settings.pick(timeout, defaults.getVerifyTimeout())));
    }

    VerifyOptions options(EverbitGlobalConfiguration defaults) {
        return new VerifyOptions(Settings.pick(timeout, defaults.getVerifyTimeout()), Setting.INTERVAL.defaultLong(),
                Settings.pick(settle, defaults.getSettle()), false, List.of());
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends EverbitExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient VerifyHealthStep step;

        Execution(VerifyHealthStep step, StepContext context) {
            super(context, FUNCTION);
            this.step = step;
        }

        @Override
        Map<String, Object> execute(StepRun run) throws Exception {
            EverbitGlobalConfiguration defaults = run.defaults();
            ProbePlan plan = step.plan(defaults);
            VerifyOptions options = step.options(defaults);
            HttpGet fromAgent = new RemoteHttp(new AgentShell(run.executor()), plan.requestSeconds());
            VerifyReport report;
            if (plan.needsVm()) {
                VmSettings settings = step.settings(defaults);
                if (settings.swarm()) {
                    VmStep.refuseOnSwarm(settings, !Settings.pick(step.containers, defaults.healthContainerList()).isEmpty(),
                            "containers: (the deploy waits until every task of the service runs)");
                    try (OpenSwarm open = OpenSwarm.open(run, settings)) {
                        report = new Verify(run.progress()).runMasked(plan.build(open.manager().shell(), null, fromAgent),
                                options, open.manager().masker());
                    }
                } else {
                    try (OpenVm open = OpenVm.open(run, settings)) {
                        List<Probe> probes = plan.build(open.vm().shell(), new HealthScripts(open.vm().scripts()), fromAgent);
                        report = new Verify(run.progress()).run(probes, options, open.vm());
                    }
                }
            } else {
                report = new Verify(run.progress()).run(plan.build(null, null, fromAgent), options, null);
            }
            List<String> table = VerifyReportText.render(report);
            if (!report.ok()) {
                throw new AbortException(StepParameters.render(report.failure() + "\n" + String.join("\n", table), Map.of()));
            }
            table.forEach(run.progress()::info);
            // The observations name settings too ("no data (noData: pass)"): in the step's terms, like the table.
            return JSON.readValue(StepParameters.render(VerifyReportJson.render(report), Map.of()), Map.class);
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
            return Texts.get("verifyHealth.displayName");
        }
    }
}
