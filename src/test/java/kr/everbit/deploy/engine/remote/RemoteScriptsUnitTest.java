package kr.everbit.deploy.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Secret;
import org.junit.jupiter.api.Test;

class RemoteScriptsUnitTest {
    private final ComposeProject project = new ComposeProject("/srv/it's $(id)",
            List.of("docker/compose.yaml", "docker/compose prod.yaml"), "server", ImageRef.of("ghcr.io/everbit/server"));
    private final RemoteScripts scripts = new RemoteScripts(project);

    @Test
    void theTokenTravelsInThePipeToPasswordStdinAndIsMaskedInPrint() {
        Secret token = Secret.of("ghs_secretToken42");
        RemoteScript pull = scripts.pull(ComposeProject.NEXT_PIN_FILE, "ghcr.io", "octo", token);
        assertThat(pull.body()).contains("printf '%s\\n' ghs_secretToken42 | DOCKER_CONFIG=")
                .contains("--password-stdin").doesNotContain("--password ").doesNotContain("-p ghs");
        assertThat(pull.masked()).doesNotContain("ghs_secretToken42").contains("****");
        assertThat(pull.body()).contains("rm -rf \"$everbit_cfg\"");
    }

    @Test
    void composeRunsWithTheOperatorsFilesInOrderThenThePin() {
        assertThat(scripts.compose(ComposeProject.PIN_FILE))
                .isEqualTo("everbit_dc -f docker/compose.yaml -f 'docker/compose prod.yaml' -f .everbit/pin.yaml");
    }

    @Test
    void aReleaseOfOneServiceDoesNotRecreateTheOthersOnceTheProjectIsUp() {
        assertThat(scripts.startAndWait(5, 3).body()).isEqualTo("everbit_start_wait 5 3");
        assertThat(scripts.openProject().body()).contains("everbit_start_wait() {").contains("up -d --no-deps server");
    }

    @Test
    void aLedgerAppendNeverGluesItsLineToALastLineWithoutNewline() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ledger");
        java.nio.file.Files.createDirectories(dir.resolve(".everbit"));
        java.nio.file.Files.writeString(dir.resolve(ComposeProject.LEDGER_FILE), "{\"sha\":\"abc1234\"}");
        for (String line : List.of("{\"sha\":\"def5678\"}", "{\"sha\":\"0123abc\"}")) {
            Process sh = new ProcessBuilder("sh", "-c", scripts.appendLedger(line).body()).directory(dir.toFile()).start();
            assertThat(sh.waitFor()).isZero();
        }
        assertThat(java.nio.file.Files.readAllLines(dir.resolve(ComposeProject.LEDGER_FILE)))
                .containsExactly("{\"sha\":\"abc1234\"}", "{\"sha\":\"def5678\"}", "{\"sha\":\"0123abc\"}");
    }

    @Test
    void everyScriptIsValidShellEvenWithHostileValues() throws Exception {
        for (RemoteScript script : List.of(scripts.openProject(), scripts.lock(5, "me'; rm -rf / #"), scripts.readLedger(),
                scripts.appendLedger("{\"reason\":\"it's $(id) `id`\"}"), scripts.writePin(ComposeProject.PIN_FILE, "ghcr.io/everbit/server:abc1234"),
                scripts.pull(ComposeProject.NEXT_PIN_FILE, "ghcr.io", "octo", Secret.of("t'o\"k$en")), scripts.startAndWait(10, 0),
                scripts.logs(200), scripts.listTags(), scripts.removeImages(List.of("a:b")),
                RemoteScripts.status("~/x y", "--- sep ---"),
                scripts.beginSwitch(scripts.writePin(ComposeProject.RESTORE_PIN_FILE, "ghcr.io/everbit/server:abc1234"),
                        "image ghcr.io/everbit/server:abc1234", 30, List.of("{\"reason\":\"it's $(id) `id`\"}"), List.of()),
                scripts.beginSwitch(null, "none", 30, List.of(), List.of()), scripts.endSwitch("{\"sha\":\"abc1234\"}"), scripts.endSwitch(null),
                scripts.recoverLeftover(60))) {
            for (List<String> check : List.of(List.of("sh", "-n"), List.of("shellcheck", "-s", "sh", "-S", "error", "-"))) {
                if (check.get(0).equals("shellcheck") && new ProcessBuilder("sh", "-c", "command -v shellcheck").start().waitFor() != 0) {
                    continue;
                }
                Process sh = new ProcessBuilder(check).redirectErrorStream(true).start();
                sh.getOutputStream().write(script.body().getBytes(StandardCharsets.UTF_8));
                sh.getOutputStream().close();
                String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(sh.waitFor()).as(check.get(0) + " " + script.label() + ": " + said).isZero();
            }
        }
    }
}
