package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.args;
import static kr.everbit.deploy.e2e.DeployFixture.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code verify --tcp} against the sandbox VM: a port that answers, one that does not, and one that a listener
 * started inside the VM user's own session holds on the VM's loopback. That listener counts what it accepts, so
 * the test sees the connection arrive there; the tool itself has no TCP client for it (TcpProbeUnitTest).
 */
class TcpProbeE2ETest {
    private static final Sandbox SANDBOX = Sandbox.get();
    private final Path dir = SANDBOX.newDeployDir("tcp-probe");
    private String listenerPid;

    @AfterEach
    void stopTheListener() {
        if (listenerPid != null) {
            SANDBOX.ssh("kill " + listenerPid + " 2>/dev/null; true");
        }
    }

    @Test
    void aPortThatAnswersPassesAndOneThatDoesNotFails() throws Exception {
        SANDBOX.writeAsSshUser(dir.resolve("compose.yaml"), Sandbox.composeFile(HealthFixture.freePort(), "server", "e2e/none:unset"));
        int closed = HealthFixture.freePort();
        DeployFixture.Run run = cli(args(List.of("verify"), conn(), List.of("--tcp", "127.0.0.1:" + SANDBOX.sshPort(),
                "--tcp", "127.0.0.1:" + closed, "--timeout", "2", "--interval", "250", "--json")));
        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        JsonNode probes = new ObjectMapper().readTree(run.out()).get("probes");
        assertThat(probes.get(0).get("name").asText()).isEqualTo("tcp 127.0.0.1:" + SANDBOX.sshPort());
        assertThat(probes.get(0).get("ok").asBoolean()).isTrue();
        assertThat(probes.get(0).get("observed").asText()).isEqualTo("accepts connections from the VM (bash)");
        assertThat(probes.get(1).get("ok").asBoolean()).isFalse();
        assertThat(probes.get(1).get("observed").asText()).isEqualTo("no connection from the VM within 2 s (bash)");
    }

    @Test
    void aPortOnTheVmsLoopbackIsCheckedFromTheVm() throws Exception {
        SANDBOX.writeAsSshUser(dir.resolve("compose.yaml"), Sandbox.composeFile(HealthFixture.freePort(), "server", "e2e/none:unset"));
        int port = HealthFixture.freePort();
        Path accepted = dir.resolve("accepted");
        // Started by the VM's user in its own session, on 127.0.0.1 only; gone after 60 s whatever happens.
        String listener = "import socket,time\n"
                + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('127.0.0.1', " + port + ")); s.listen(5); s.settimeout(60)\n"
                + "open('" + accepted + "', 'w').close()\n"
                + "while True:\n"
                + "    c, peer = s.accept(); c.close()\n"
                + "    open('" + accepted + "', 'a').write('accepted\\n')\n";
        listenerPid = SANDBOX.ssh("nohup python3 -c " + Sandbox.quote(listener) + " >/dev/null 2>&1 & echo $!")
                .requireSuccess("start the listener").stdout().strip();
        SANDBOX.ssh("for i in $(seq 50); do [ -f " + accepted + " ] && exit 0; sleep 0.1; done; exit 1")
                .requireSuccess("wait for the listener");

        DeployFixture.Run run = cli(args(List.of("verify"), conn(), List.of("--tcp", "127.0.0.1:" + port, "--timeout", "5")));
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).containsPattern("tcp 127.0.0.1:" + port + " +pass");
        assertThat(SANDBOX.ssh("cat " + accepted).stdout()).contains("accepted");

        // What runs there: the check is a script of the VM's shell, nothing the tool connects to itself.
        DeployFixture.Run dry = cli(args(List.of("verify", "--dry-run"), conn(), List.of("--tcp", "127.0.0.1:" + port)));
        assertThat(dry.exit()).as(dry.all()).isZero();
        assertThat(dry.out()).contains("$ ssh").contains("# verify: tcp 127.0.0.1:" + port);
    }

    @Test
    void withoutTheVmTheTcpProbeIsRefusedBeforeAnythingIsContacted() {
        DeployFixture.Run run = cli("verify", "--tcp", "127.0.0.1:" + SANDBOX.sshPort());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--host is required for --remote-url, --container, --tcp");
    }

    private List<String> conn() {
        return List.of("--host", SANDBOX.sshHost(), "--port", String.valueOf(SANDBOX.sshPort()), "--user", SANDBOX.sshUser(),
                "--identity", SANDBOX.sshIdentity().toString(), "--known-hosts", SANDBOX.sshKnownHosts().toString(),
                "--dir", dir.toString(), "--compose", "compose.yaml");
    }
}
