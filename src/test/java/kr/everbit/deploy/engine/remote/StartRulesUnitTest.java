package kr.everbit.deploy.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.everbit.deploy.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

/** When a started container counts as started: the VM's everbit_wait_healthy, run against a stub docker. */
class StartRulesUnitTest {
    /** The session's everbit_wait_healthy, as the session defines it: the library. */
    private static final String WAIT = RemoteLibrary.text();

    @Test
    void aContainerWithoutHealthcheckMustKeepRunningUnrestartedForTheSettleWindow() throws Exception {
        Result settled = waitWith(1, "running none 2026-01-01T00:00:00Z/0");
        assertThat(settled.exit()).as(settled.said()).isZero();
        assertThat(settled.said()).endsWith("state=running health=none");
        // At least once as the window starts and once after it ended; how many between depends on the machine's speed.
        assertThat(settled.inspections()).as("it was watched over the window, not sampled once").isGreaterThan(1);
    }

    @Test
    void aRestartWhileItSettlesIsACrashLoopNotAStart() throws Exception {
        Result restarted = waitWith(3, "running none 2026-01-01T00:00:00Z/0", "running none 2026-01-01T00:00:01Z/1");
        assertThat(restarted.exit()).isEqualTo(1);
        assertThat(restarted.said()).contains("restarted").endsWith("state=restarting health=none");
        Result restarting = waitWith(3, "running none 2026-01-01T00:00:00Z/0", "restarting none 2026-01-01T00:00:00Z/1");
        assertThat(restarting.exit()).isEqualTo(1);
        Result exited = waitWith(3, "running none 2026-01-01T00:00:00Z/0", "exited none 2026-01-01T00:00:00Z/0");
        assertThat(exited.exit()).isEqualTo(1);
    }

    @Test
    void aHealthcheckOrNoSettleWindowIsTakenAtOnce() throws Exception {
        Result healthy = waitWith(3, "running healthy 2026-01-01T00:00:00Z/0");
        assertThat(healthy.exit()).isZero();
        assertThat(healthy.inspections()).isEqualTo(1);
        Result once = waitWith(0, "running none 2026-01-01T00:00:00Z/0");
        assertThat(once.exit()).isZero();
        assertThat(once.inspections()).isEqualTo(1);
    }

    @Test
    void theReadyPathIsAnHttpPath() {
        assertThat(new StartRules("/actuator/health", 3).readyPath()).isEqualTo("/actuator/health");
        assertThat(StartRules.defaults()).isEqualTo(new StartRules(null, 3));
        for (String bad : List.of("actuator/health", "/a b", "/a\nb", "http://x/")) {
            assertThatThrownBy(() -> new StartRules(bad, 3)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("{readyPath}");
        }
        assertThatThrownBy(() -> new StartRules(null, -1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("{startSettle}");
    }

    private record Result(int exit, String said, int inspections) {
    }

    /** Runs everbit_wait_healthy with a docker whose inspect prints {@code states} in turn, then the last one again. */
    private static Result waitWith(int settleSeconds, String... states) throws Exception {
        Path bin = Files.createTempDirectory("docker-stub");
        Files.write(bin.resolve("states"), List.of(states));
        Path docker = bin.resolve("docker");
        Files.writeString(docker, String.join("\n",
                "#!/bin/sh",
                "n=$(( $(cat \"$STUB/count\" 2>/dev/null || echo 0) + 1 ))",
                "echo \"$n\" > \"$STUB/count\"",
                "total=$(wc -l < \"$STUB/states\")",
                "[ \"$n\" -le \"$total\" ] || n=$total",
                "sed -n \"${n}p\" \"$STUB/states\"",
                ""));
        docker.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", WAIT + "\neverbit_wait_healthy cid 20 " + settleSeconds)
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("STUB", bin.toString());
        Process sh = pb.start();
        String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit = sh.waitFor();
        return new Result(exit, said, Integer.parseInt(Files.readString(bin.resolve("count")).strip()));
    }
}
