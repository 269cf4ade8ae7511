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
        assertThat(scripts.startAndWait(5).body()).contains("up -d --no-deps server");
    }

    @Test
    void everyScriptIsValidShellEvenWithHostileValues() throws Exception {
        for (RemoteScript script : List.of(scripts.openProject(), scripts.lock(5, "me'; rm -rf / #"), scripts.readLedger(),
                scripts.appendLedger("{\"reason\":\"it's $(id) `id`\"}"), scripts.writePin(ComposeProject.PIN_FILE, "ghcr.io/everbit/server:abc1234"),
                scripts.pull(ComposeProject.NEXT_PIN_FILE, "ghcr.io", "octo", Secret.of("t'o\"k$en")), scripts.startAndWait(10),
                scripts.logs(200), scripts.listTags(), scripts.removeImages(List.of("a:b")),
                RemoteScripts.status("~/x y", "--- sep ---"))) {
            Process sh = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
            sh.getOutputStream().write(script.body().getBytes(StandardCharsets.UTF_8));
            sh.getOutputStream().close();
            String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sh.waitFor()).as(script.label() + ": " + said).isZero();
        }
    }
}
