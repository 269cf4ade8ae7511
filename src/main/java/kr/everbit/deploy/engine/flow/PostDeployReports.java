package kr.everbit.deploy.engine.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.health.ComposePsParser;
import kr.everbit.deploy.engine.health.ComposePsRow;
import kr.everbit.deploy.engine.health.HealthScripts;

/** Reads the post-deploy report over the session; every line is masked before it leaves the engine. */
final class PostDeployReports {
    private final Vm vm;
    private final HealthScripts scripts;

    PostDeployReports(Vm vm) {
        this.vm = vm;
        this.scripts = new HealthScripts(vm.scripts());
    }

    PostDeployReport read(List<String> logServices) {
        List<String> ps = masked(vm.run(scripts.composePs()).lines());
        List<ComposePsRow> containers;
        try {
            containers = ComposePsParser.parse(ps);
        } catch (IllegalArgumentException e) {
            containers = null;
        }
        Map<String, List<String>> logs = new LinkedHashMap<>();
        for (String service : logServices) {
            logs.put(service, masked(vm.run(scripts.logs(service, VerifyOptions.LOG_LINES)).lines()));
        }
        return new PostDeployReport(containers, ps, logs);
    }

    private List<String> masked(List<String> lines) {
        return lines.stream().map(vm.masker()::mask).toList();
    }
}
