package kr.everbit.deploy.engine.health;

import java.util.regex.Pattern;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * A port on the VM's side that must accept a TCP connection (Kafka on 9092, the DB on 5432): more honest for them
 * than "the container runs". Connected from the VM over the session ({@link HealthScripts#tcpConnect}), so a port
 * that listens only on the VM's loopback is checked where it listens.
 */
public final class TcpProbe implements Probe {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private final RemoteShell shell;
    private final Spec target;
    private final int timeoutSeconds;

    /** {@code host:port}, as {@link #parse} checked it. */
    public record Spec(String host, int port) implements ProbeSpec {
        public Spec {
            if (host == null || !(NAME.matcher(host).matches() || IPV6.matcher(host).matches() && host.contains(":"))) {
                throw new InvalidInputException(Setting.TCP.ref() + " '" + Printable.of(host) + "' is not a host name or address");
            }
            Setting.tcpPort(Setting.TCP.ref() + " '" + Printable.of(host) + ":" + port + "': port", port);
        }

        /** {@code HOST:PORT}, an IPv6 address in brackets ({@code [::1]:5432}). */
        public static Spec parse(String text) {
            String given = text == null ? "" : text.strip();
            int colon = given.lastIndexOf(':');
            String host = colon < 0 ? "" : given.substring(0, colon);
            String port = colon < 0 ? "" : given.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                host = "";
            }
            if (host.isEmpty() || !port.matches("[0-9]{1,5}")) {
                throw new InvalidInputException(Setting.TCP.ref() + " '" + Printable.of(given)
                        + "' must be HOST:PORT (e.g. 127.0.0.1:9092)");
            }
            return new Spec(host, Integer.parseInt(port));
        }

        @Override
        public boolean onVm() {
            return true;
        }

        @Override
        public Probe probe(ProbeContext context) {
            return new TcpProbe(context.vmShell(), this, context.requestSeconds());
        }

        String text() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    TcpProbe(RemoteShell shell, Spec target, int timeoutSeconds) {
        this.shell = shell;
        this.target = target;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public String name() {
        return "tcp " + target.text();
    }

    @Override
    public Observation check() {
        ShellResult result = shell.run(HealthScripts.tcpConnect(target.host(), target.port(), timeoutSeconds));
        String said = result.lines().stream().filter(l -> l.startsWith(HealthScripts.TCP)).findFirst()
                .map(l -> l.substring(HealthScripts.TCP.length())).orElse(null);
        if (said == null) {
            return Observation.fail("the TCP check failed on the VM: " + result.lastLine());
        }
        if (said.equals("none")) {
            return Observation.fail("cannot check TCP on this VM: it has neither bash (/dev/tcp) nor an nc with -z");
        }
        String tool = said.substring(said.indexOf(' ') + 1);
        return said.startsWith("open ")
                ? Observation.pass("accepts connections from the VM (" + tool + ")")
                : Observation.fail("no connection from the VM within " + timeoutSeconds + " s (" + tool + ")");
    }
}
