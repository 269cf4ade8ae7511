package kr.everbit.deploy.engine.health;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TCP probe's input and its script, run by a real POSIX sh (dash here) with the tools a VM may or may not
 * have: bash, or neither bash nor an nc with -z. The check through the sandbox VM is in TcpProbeE2ETest.
 */
class TcpProbeUnitTest {
    @TempDir
    Path tmp;

    @Test
    void hostAndPortAreParsed() {
        assertThat(TcpProbe.Spec.parse("127.0.0.1:9092")).isEqualTo(new TcpProbe.Spec("127.0.0.1", 9092));
        assertThat(TcpProbe.Spec.parse("kafka.internal:9092")).isEqualTo(new TcpProbe.Spec("kafka.internal", 9092));
        assertThat(TcpProbe.Spec.parse("[::1]:5432")).isEqualTo(new TcpProbe.Spec("::1", 5432));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", ":9092", "127.0.0.1:", "a b:80", "h;id:80", "::1:5432", "h:0", "h:65536", "h:9x", ""})
    void badTargetsAreRefusedBeforeAnythingIsContacted(String target) {
        assertThatThrownBy(() -> TcpProbe.Spec.parse(target)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("{tcp} '");
    }

    @Test
    void theScriptIsValidShell() throws Exception {
        assertThat(sh(HealthScripts.tcpConnect("127.0.0.1", 9092, 3), Map.of(), "-n")).isEmpty();
    }

    @Test
    void withBashAPortThatListensPassesAndAClosedOneFails() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            assertThat(probe(listening.getLocalPort(), Map.of()).check())
                    .isEqualTo(Observation.pass("accepts connections from the VM (bash)"));
        }
        assertThat(probe(closedPort(), Map.of()).check())
                .isEqualTo(Observation.fail("no connection from the VM within 2 s (bash)"));
    }

    @Test
    void aVmWithNeitherBashNorNcSaysItCannotCheck() throws Exception {
        // An empty PATH directory: only sh's builtins remain (no bash, no nc, no timeout).
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        assertThat(probe(9092, Map.of("PATH", bin.toString())).check()).isEqualTo(
                Observation.fail("cannot check TCP on this VM: it has neither bash (/dev/tcp) nor an nc with -z"));
    }

    @Test
    void theProbeIsNamedByItsTargetAndRunsOnTheVm() {
        TcpProbe.Spec spec = TcpProbe.Spec.parse("[::1]:5432");
        assertThat(spec.onVm()).isTrue();
        assertThat(spec.probe(new ProbeContext(s -> new ShellResult(0, List.of()), null, null, null, 2)).name())
                .isEqualTo("tcp [::1]:5432");
        assertThat(new TcpProbe(s -> new ShellResult(255, List.of("connection lost")), spec, 2).check())
                .isEqualTo(Observation.fail("the TCP check failed on the VM: connection lost"));
    }

    @Test
    void theToolItselfNeverConnectsToTheTarget() {
        // Only the VM's shell does: the probe's classes use no socket of this JVM.
        noClasses().that().haveNameMatching(TcpProbe.class.getName() + ".*")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
                .check(new ClassFileImporter().importClasses(TcpProbe.class, TcpProbe.Spec.class));
    }

    private TcpProbe probe(int port, Map<String, String> env) {
        RemoteShell shell = script -> {
            try {
                return new ShellResult(0, sh(script, env));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        return new TcpProbe(shell, new TcpProbe.Spec("127.0.0.1", port), 2);
    }

    private static List<String> sh(RemoteScript script, Map<String, String> env, String... options)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh");
        builder.command().addAll(List.of(options));
        builder.environment().putAll(env);
        Process sh = builder.redirectErrorStream(true).start();
        sh.getOutputStream().write((RemoteLibrary.text() + "\n" + script.body()).getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        sh.waitFor();
        return said.lines().toList();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }
}
