package kr.everbit.deploy.jenkins;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.health.ContainerProbe;
import kr.everbit.deploy.engine.health.HealthScripts;
import kr.everbit.deploy.engine.health.HttpGet;
import kr.everbit.deploy.engine.health.HttpProbe;
import kr.everbit.deploy.engine.health.Probe;
import kr.everbit.deploy.engine.health.ProbePlan;
import kr.everbit.deploy.engine.health.PrometheusProbe;
import kr.everbit.deploy.engine.health.RemoteHttp;
import kr.everbit.deploy.engine.health.RemoteHttpProbe;
import kr.everbit.deploy.engine.remote.RemoteShell;

/**
 * The engine's probes for a plan, in its order (public side, VM side, containers, metrics), except that "from
 * here" means from the build agent: {@link ProbePlan#build} would send those requests from the JVM, which for a
 * step is the Jenkins controller.
 */
final class HealthProbes {
    private final ProbePlan plan;
    private final HttpGet fromAgent;
    private final RemoteShell vm;
    private final HealthScripts scripts;

    /** @param vm the VM session, or null when no probe needs it */
    HealthProbes(ProbePlan plan, HttpGet fromAgent, RemoteShell vm, HealthScripts scripts) {
        this.plan = plan;
        this.fromAgent = fromAgent;
        this.vm = vm;
        this.scripts = scripts;
    }

    List<Probe> list() {
        HttpGet onVm = vm == null ? null : new RemoteHttp(vm, plan.requestSeconds());
        List<Probe> probes = new ArrayList<>();
        plan.urls().forEach(u -> probes.add(new HttpProbe(u, fromAgent)));
        plan.remoteUrls().forEach(u -> probes.add(new RemoteHttpProbe(u, onVm)));
        plan.containers().forEach(c -> probes.add(new ContainerProbe(vm, scripts, c)));
        HttpGet prometheus = plan.prometheusViaSsh() ? onVm : fromAgent;
        plan.prometheus().forEach(q -> probes.add(new PrometheusProbe(q, prometheus, plan.noData(), plan.prometheusViaSsh())));
        return probes;
    }
}
