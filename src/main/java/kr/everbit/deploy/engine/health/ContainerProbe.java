package kr.everbit.deploy.engine.health;

import java.util.List;
import java.util.stream.Collectors;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * A compose service's containers on the VM (server, kafka, db): each running, not restarting, and healthy where
 * it has a healthcheck. Read with {@code compose ps -q} and {@code docker inspect} over the session.
 */
public final class ContainerProbe implements Probe {
    private final RemoteShell shell;
    private final HealthScripts scripts;
    private final String service;

    /** A compose service whose containers are checked on the VM. */
    public record Spec(String service) implements ProbeSpec {
        public Spec {
            ServiceNames.require(Setting.CONTAINER.ref(), service);
        }

        @Override
        public boolean onVm() {
            return true;
        }

        @Override
        public Probe probe(ProbeContext context) {
            return new ContainerProbe(context.vmShell(), context.scripts(), service);
        }
    }

    public ContainerProbe(RemoteShell shell, HealthScripts scripts, String service) {
        this.shell = shell;
        this.scripts = scripts;
        this.service = ServiceNames.require(Setting.CONTAINER.ref(), service);
    }

    @Override
    public String name() {
        return "container " + service;
    }

    @Override
    public Observation check() {
        ShellResult result = shell.run(scripts.inspect(service));
        if (!result.ok()) {
            return Observation.fail("compose ps failed on the VM: " + result.lastLine());
        }
        if (result.lines().contains(HealthScripts.NO_CONTAINER)) {
            return Observation.fail("no container for service " + service);
        }
        List<ContainerState> states;
        try {
            states = DockerInspectParser.parse(result.text());
        } catch (IllegalArgumentException e) {
            return Observation.fail(e.getMessage());
        }
        if (states.isEmpty()) {
            return Observation.fail("no container for service " + service);
        }
        String observed = states.size() == 1 ? states.get(0).describe()
                : states.stream().map(s -> s.name() + ": " + s.describe()).collect(Collectors.joining("; "));
        return states.stream().allMatch(ContainerState::healthy) ? Observation.pass(observed) : Observation.fail(observed);
    }
}
