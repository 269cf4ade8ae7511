package kr.everbit.deploy.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calls RemoteScripts makes of the VM side's library, run in a real sh with the library and a stub docker. */
class RemoteScriptsUnitTest {
    private final ComposeProject project = new ComposeProject("/srv/it's $(id)",
            List.of("docker/compose.yaml", "docker/compose prod.yaml"), "server", ImageRef.of("ghcr.io/everbit/server"));
    private final RemoteScripts scripts = new RemoteScripts(project);
    @TempDir
    Path tmp;

    /**
     * Runs {@code script} in {@code tmp} after the library and the project's values, with a double of the docker CLI
     * that logs each call's arguments, one a line, and what it read on stdin.
     */
    private String run(String script) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("docker"), String.join("\n", "#!/bin/sh",
                "{ echo \"call $#\"; for a in \"$@\"; do printf 'arg %s\\n' \"$a\"; done; } >> \"$STUB_LOG\"",
                "case \"$*\" in *login*) sed 's/^/stdin /' >> \"$STUB_LOG\" ;; esac", ""));
        bin.resolve("docker").toFile().setExecutable(true);
        // The session's values, as openProject gives them (its call of everbit_open needs a deploy dir that exists).
        String open = scripts.openProject().body();
        String configure = open.substring(0, open.indexOf("\neverbit_open "));
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", RemoteLibrary.load() + "\n" + configure + "\n" + script)
                .directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("STUB_LOG", tmp.resolve("calls").toString());
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("TMPDIR", Files.createDirectories(tmp.resolve("tmpdir")).toString());
        Process sh = pb.start();
        String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).as(said).isZero();
        return Files.exists(tmp.resolve("calls")) ? Files.readString(tmp.resolve("calls")) : "";
    }

    @Test
    void theTokenTravelsInThePipeToPasswordStdinAndIsMaskedInPrint() throws Exception {
        Secret token = Secret.of("ghs_secretToken42");
        RemoteScript pull = scripts.pull(ComposeProject.NEXT_PIN_FILE, "ghcr.io", "octo", token);
        assertThat(pull.masked()).doesNotContain("ghs_secretToken42").contains("****");

        String calls = run(pull.body());
        assertThat(calls).as("docker's arguments never hold the token; its stdin does")
                .contains("arg --password-stdin\narg ghcr.io\nstdin ghs_secretToken42\n")
                .doesNotContain("arg ghs_secretToken42");
        assertThat(calls).contains("arg compose\narg -f\narg docker/compose.yaml\narg -f\narg docker/compose prod.yaml\narg -f\n"
                + "arg .everbit/pin.next.yaml\narg pull\narg server\n");
        assertThat(Files.list(tmp.resolve("tmpdir"))).as("the temporary docker config is gone").isEmpty();
    }

    @Test
    void composeRunsWithTheOperatorsFilesInOrderThenThePin() throws Exception {
        assertThat(run("everbit_compose .everbit/pin.yaml up -d --no-deps server")).isEqualTo(String.join("\n",
                "call 11", "arg compose", "arg -f", "arg docker/compose.yaml", "arg -f", "arg docker/compose prod.yaml",
                "arg -f", "arg .everbit/pin.yaml", "arg up", "arg -d", "arg --no-deps", "arg server", ""));
        assertThat(Files.readString(tmp.resolve("calls"))).as("the first call only").startsWith("call 11");
    }

    @Test
    void aReleaseOfOneServiceDoesNotRecreateTheOthersOnceTheProjectIsUp() {
        assertThat(scripts.startAndWait(5, 3).body()).isEqualTo("everbit_start_wait 5 3");
        assertThat(RemoteLibrary.text()).contains("everbit_compose .everbit/pin.yaml up -d --no-deps \"$everbit_service\"");
    }

    @Test
    void aLedgerAppendNeverGluesItsLineToALastLineWithoutNewline() throws Exception {
        Files.createDirectories(tmp.resolve(".everbit"));
        Files.writeString(tmp.resolve(ComposeProject.LEDGER_FILE), "{\"sha\":\"abc1234\"}");
        run(scripts.appendLedger("{\"sha\":\"def5678\"}").body() + "\n" + scripts.appendLedger("{\"sha\":\"0123abc\"}").body());
        assertThat(Files.readAllLines(tmp.resolve(ComposeProject.LEDGER_FILE)))
                .containsExactly("{\"sha\":\"abc1234\"}", "{\"sha\":\"def5678\"}", "{\"sha\":\"0123abc\"}");
    }

    @Test
    void hostileValuesReachTheFunctionsAsOneWordEach() throws Exception {
        String reason = "{\"reason\":\"it's $(id) `id` ; rm -rf /\"}";
        run(scripts.appendLedger(reason).body() + "\n" + scripts.lock(5, "me'; touch pwned #").body());
        assertThat(Files.readAllLines(tmp.resolve(ComposeProject.LEDGER_FILE))).containsExactly(reason);
        assertThat(Files.readString(tmp.resolve(".everbit/lock.holder"))).startsWith("me'; touch pwned # since ");
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void everyCallIsValidShellEvenWithHostileValues() throws Exception {
        for (RemoteScript script : List.of(scripts.openProject(), scripts.lock(5, "me'; rm -rf / #"), scripts.readLedger(),
                scripts.appendLedger("{\"reason\":\"it's $(id) `id`\"}"), scripts.writePin(ComposeProject.PIN_FILE, "ghcr.io/everbit/server:abc1234"),
                scripts.pull(ComposeProject.NEXT_PIN_FILE, "ghcr.io", "octo", Secret.of("t'o\"k$en")), scripts.startAndWait(10, 0),
                scripts.logs(200), scripts.listTags(), scripts.removeImages(List.of("a:b")),
                RemoteScripts.status("~/x y", "--- sep ---"),
                scripts.beginSwitch(RemoteScripts.writePinCall(ComposeProject.RESTORE_PIN_FILE, "ghcr.io/everbit/server:abc1234"),
                        "image ghcr.io/everbit/server:abc1234", 30, List.of("{\"reason\":\"it's $(id) `id`\"}"), List.of()),
                scripts.beginSwitch(List.of(), "none", 30, List.of(), List.of()), scripts.endSwitch("{\"sha\":\"abc1234\"}"), scripts.endSwitch(null),
                scripts.recoverLeftover(60))) {
            assertThat(ShellFiles.check(List.of("sh", "-n"), script.body())).as(script.label()).isEmpty();
        }
    }
}
