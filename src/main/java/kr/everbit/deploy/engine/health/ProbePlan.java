package kr.everbit.deploy.engine.health;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The probes a verify asked for, as checked input, in the order given; {@link #build} turns them into probes,
 * the VM ones over the session's shell.
 *
 * @param caFile         a PEM file of the CAs that HTTPS from here trusts instead of the JDK's (as
 *                       {@code curl --cacert}), or null
 * @param requestSeconds how long one attempt may take ({@link Setting#HTTP_TIMEOUT})
 */
public record ProbePlan(List<ProbeSpec> probes, Path caFile, int requestSeconds) {
    public ProbePlan {
        probes = List.copyOf(probes);
        if (probes.isEmpty()) {
            throw new InvalidInputException("name at least one probe: " + Setting.URL.ref() + ", " + Setting.REMOTE_URL.ref()
                    + ", " + Setting.CONTAINER.ref() + ", " + Setting.TCP.ref() + " or " + Setting.PROMETHEUS.ref());
        }
        Setting.HTTP_TIMEOUT.check(requestSeconds);
    }

    /** Whether a probe runs on the VM, so that verify needs the SSH connection. */
    public boolean needsVm() {
        return probes.stream().anyMatch(ProbeSpec::onVm);
    }

    /** The probes; "from here" is this JVM. */
    public List<Probe> build(RemoteShell shell, HealthScripts scripts) {
        SSLContext tls = caFile == null ? TlsTrust.system() : TlsTrust.fromPemFile(caFile);
        return build(shell, scripts, new LocalHttp(tls, Duration.ofSeconds(requestSeconds)));
    }

    /** The same, with {@code local} sending the requests "from here" (a Jenkins step: from the build agent). */
    public List<Probe> build(RemoteShell shell, HealthScripts scripts, HttpGet local) {
        if (needsVm() && shell == null) {
            throw new IllegalStateException("probes on the VM need the session");
        }
        HttpGet remote = shell == null ? null : new RemoteHttp(shell, requestSeconds);
        ProbeContext context = new ProbeContext(shell, scripts, local, remote, requestSeconds);
        return probes.stream().map(p -> p.probe(context)).toList();
    }
}
