package kr.everbit.deploy.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM side's library as files (dash's {@code sh -n} and shellcheck over every .sh among the resources) and as
 * functions, run in a real sh with doubles of docker on PATH.
 */
class RemoteLibraryUnitTest {
    @TempDir
    Path tmp;

    private static void require(String tool) throws Exception {
        assertThat(new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor())
                .as(tool + " is needed to check the VM side's shell: scripts/test-env.sh installs it").isZero();
    }

    @Test
    void everyShellFileIsValidForDashAndPassesShellcheck() throws Exception {
        require("dash");
        require("shellcheck");
        List<Path> files = ShellFiles.all();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("everbit-session.sh", "everbit-proxy.sh", "everbit-health.sh");
        for (Path file : files) {
            assertThat(ShellFiles.check(List.of("dash", "-n", file.toString()), "")).as(file.toString()).isEmpty();
            assertThat(ShellFiles.check(List.of("shellcheck", "--shell=sh", file.toString()), "")).as(file.toString()).isEmpty();
        }
    }

    @Test
    void theLibraryLoadsInEveryShellAVmMayHaveAsSh() throws Exception {
        for (List<String> shell : List.of(List.of("dash"), List.of("bash", "--posix"), List.of("sh"))) {
            Ran ran = run(shell, RemoteLibrary.load() + "\ncommand -v everbit_recover; printf '%s\\n' \"$everbit_lib\" | tail -n 1", Map.of());
            assertThat(ran.exit()).as(shell + ": " + ran.out()).isZero();
            assertThat(ran.out()).as(shell.toString()).startsWith("everbit_recover\n")
                    .endsWith(RemoteLibrary.text().lines().reduce((a, b) -> b).orElseThrow() + "\n");
        }
    }

    @Test
    void theDeployDirIsEnteredAsTheOperatorWroteIt() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve("my app"));
        Ran ran = run(List.of("sh"), RemoteLibrary.load() + "\neverbit_cd '~/my app' && pwd; everbit_cd '~' && pwd; everbit_cd "
                + "'~/gone' || echo gone", Map.of("HOME", home.toString()));
        assertThat(ran.out()).isEqualTo(home.resolve("my app") + "\n" + home + "\ngone\n");
    }

    private static final List<String> SYSTEM_PLUGIN_DIRS = List.of("/usr/local/lib/docker/cli-plugins",
            "/usr/local/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins");

    /** Every command picks compose as it opens: from the plugin's file or docker-compose on PATH, docker is not asked. */
    @Test
    void composeIsPickedWithoutAskingDockerWhereItsFileSaysWhichOne() throws Exception {
        Path bin = stubDocker("echo \"$*\" >> " + tmp.resolve("calls"));
        Path config = ComposeV2Config.in(tmp);
        Path plugin = config.resolve("cli-plugins/docker-compose");
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "DOCKER_CONFIG", config.toString());
        assertThat(run(List.of("sh"), RemoteLibrary.load() + "\neverbit_pick_compose; echo $everbit_compose_v", env).out())
                .isEqualTo("v2\n");
        Files.delete(plugin);
        Path v1 = Files.writeString(bin.resolve("docker-compose"), "#!/bin/sh\n");
        v1.toFile().setExecutable(true);
        org.junit.jupiter.api.Assumptions.assumeTrue(SYSTEM_PLUGIN_DIRS.stream()
                .noneMatch(d -> Files.isExecutable(Path.of(d, "docker-compose"))), "compose v2 is installed on this machine");
        assertThat(run(List.of("sh"), RemoteLibrary.load() + "\neverbit_pick_compose; echo $everbit_compose_v", env).out())
                .isEqualTo("v1\n");
        assertThat(tmp.resolve("calls")).as("docker was asked").doesNotExist();
    }

    @Test
    void openingSaysWhatIsMissing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("deploy"));
        Files.writeString(dir.resolve("a.yaml"), "services: {}\n");
        Path bin = stubDocker("case \"$*\" in 'compose version') exit 1 ;; esac");
        // A VM with docker but neither compose: nothing else on PATH but what loading the library needs.
        Files.createSymbolicLink(bin.resolve("cat"), Path.of("/bin/cat"));
        String configure = kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", "r", "a.yaml\nb c.yaml");
        Ran missing = run(List.of("sh"), RemoteLibrary.load() + "\n" + configure + "\neverbit_open " + dir + "; echo rc=$?",
                Map.of("PATH", bin.toString()));
        assertThat(missing.out()).isEqualTo("everbit: compose file b c.yaml not found in " + dir + " on the VM\nrc=66\n");
        Files.writeString(dir.resolve("b c.yaml"), "services: {}\n");
        // The pick looks for the v2 plugin in the docker CLI's folders first: the system's must not have one here.
        org.junit.jupiter.api.Assumptions.assumeTrue(SYSTEM_PLUGIN_DIRS.stream()
                .noneMatch(d -> Files.isExecutable(Path.of(d, "docker-compose"))), "compose v2 is installed on this machine");
        Ran noCompose = run(List.of("sh"), RemoteLibrary.load() + "\n" + configure + "\neverbit_open " + dir + "; echo rc=$?",
                Map.of("PATH", bin.toString(), "DOCKER_CONFIG", tmp.resolve("no-docker-config").toString()));
        assertThat(noCompose.out()).contains("neither 'docker compose' (v2) nor 'docker-compose' (v1)").contains("rc=127");
        Ran noDir = run(List.of("sh"), RemoteLibrary.load() + "\n" + configure + "\neverbit_open " + dir + "/x; echo rc=$?", Map.of());
        assertThat(noDir.out()).isEqualTo("everbit: deploy dir " + dir + "/x does not exist on the VM\nrc=66\n");
    }

    @Test
    void composeGetsTheOperatorsFilesInOrderThenThePinThenTheArguments() throws Exception {
        // The double prints each argument on a line of its own, so a file name with a space stays one argument.
        Path bin = stubDocker("for a in \"$@\"; do printf '<%s>\\n' \"$a\"; done");
        String configure = kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", "r",
                "docker/compose.yaml\ndocker/my prod.yaml");
        Ran ran = run(List.of("sh"), RemoteLibrary.load() + "\n" + configure + "\neverbit_compose .everbit/pin.yaml up -d --no-deps server"
                + "\necho ---\neverbit_compose '' ps -q", Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertThat(ran.out()).isEqualTo(String.join("\n", "<compose>", "<-f>", "<docker/compose.yaml>", "<-f>",
                "<docker/my prod.yaml>", "<-f>", "<.everbit/pin.yaml>", "<up>", "<-d>", "<--no-deps>", "<server>", "---",
                "<compose>", "<-f>", "<docker/compose.yaml>", "<-f>", "<docker/my prod.yaml>", "<ps>", "<-q>", ""));
    }

    /** A rollback's look at its release: the digests of the service's repository only, and nothing when it is gone. */
    @Test
    void theReleaseImagesNameTheReleaseWithItsOwnRepositorysDigests() throws Exception {
        String repository = "127.0.0.1:5000/o/server";
        String digest = "sha256:" + "a".repeat(64);
        Path bin = stubDocker(String.join("\n",
                "case \"$*\" in",
                "  *' " + repository + ":abc1234') printf '%s\\n' 'ghcr.io/o/server@sha256:" + "b".repeat(64) + "' '"
                        + repository + "@" + digest + "' ;;",
                "  *' " + repository + ":abc1235') printf '\\n' ;;",
                "  *) echo 'Error: No such image' >&2; exit 1 ;;",
                "esac"));
        RemoteScripts scripts = new RemoteScripts(new ComposeProject("/srv", List.of("c.yaml"), "server",
                kr.everbit.deploy.engine.ImageRef.of(repository)));
        String configure = kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", repository, "c.yaml", "3");
        Map<String, String> path = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        for (Map.Entry<String, String> c : Map.of("abc1234", "abc1234 <none>\nabc1234 " + digest + "\nrc=0\n",
                "abc1235", "abc1235 <none>\nrc=0\n", "abc1236", "rc=0\n").entrySet()) {
            Ran ran = run(List.of("sh"), RemoteLibrary.load() + "\n" + configure + "\n"
                    + scripts.releaseImages(kr.everbit.deploy.engine.Release.of(c.getKey())).body() + "; echo rc=$?", path);
            assertThat(ran.out()).as(c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void aReleasePulledByItsDigestGetsItsTagBack() throws Exception {
        Path bin = stubDocker("echo \"$*\" >> " + tmp.resolve("calls"));
        String digest = "127.0.0.1:5000/o/server@sha256:" + "a".repeat(64);
        Ran ran = run(List.of("sh"), RemoteLibrary.load() + "\n"
                + new RemoteScripts(new ComposeProject("/srv", List.of("c.yaml"), "server",
                        kr.everbit.deploy.engine.ImageRef.of("127.0.0.1:5000/o/server"))).tag(digest, "127.0.0.1:5000/o/server:abc1234").body()
                + "; echo rc=$?", Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertThat(ran.out()).isEqualTo("rc=0\n");
        assertThat(Files.readString(tmp.resolve("calls"))).isEqualTo("tag " + digest + " 127.0.0.1:5000/o/server:abc1234\n");
    }

    @Test
    void onlyTheServicesOwnReleaseImagesAndSmallNumbersPass() throws Exception {
        String configure = kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", "127.0.0.1:5000/o/server", "c.yaml");
        StringBuilder script = new StringBuilder(RemoteLibrary.load() + "\n" + configure + "\n");
        for (String image : List.of("127.0.0.1:5000/o/server:abc1234", "127.0.0.1:5000/o/server:ABC1234",
                "127.0.0.1:5000/o/server:abc12", "127.0.0.1:5000/o/other:abc1234", "127.0.0.1:5000/o/server:abc1234 x",
                "127.0.0.1:5000/o/server:$(touch " + tmp.resolve("pwned") + ")")) {
            script.append(kr.everbit.deploy.engine.Shell.call("everbit_release_image", image)).append(" && echo yes || echo no\n");
        }
        for (String number : List.of("30", "0", "3601", "x[$(touch " + tmp.resolve("pwned") + ")]", "007", "")) {
            script.append(kr.everbit.deploy.engine.Shell.call("everbit_number", number, "3600")).append(" && echo yes || echo no\n");
        }
        Ran ran = run(List.of("sh"), script.toString(), Map.of());
        assertThat(ran.out().lines()).containsExactly("yes", "no", "no", "no", "no", "no", "yes", "no", "no", "no", "yes", "no");
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void statusPutsTheSeparatorOnALineOfItsOwnAfterADamagedLedger() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("deploy/.everbit")).getParent();
        Files.writeString(dir.resolve(ComposeProject.LEDGER_FILE), "{\"sha\":\"abc1234\"}");
        Files.writeString(dir.resolve(ComposeProject.PIN_FILE), "services:\n  server:\n    image: \"r:abc1234\"\n");
        Files.writeString(dir.resolve(ComposeProject.INFLIGHT_FILE), "30 150\nrestore none\n");
        Files.writeString(dir.resolve(".everbit/proxy.live"), "server-blue r:abc1234 a:1\n");
        Ran ran = run(List.of("sh"), RemoteLibrary.load() + "\n" + RemoteScripts.status(dir.toString(), "--- s ---").body(), Map.of());
        assertThat(ran.out()).isEqualTo("{\"sha\":\"abc1234\"}\n--- s ---\nr:abc1234\n--- s ---\ninflight\nproxy-live server-blue r:abc1234 a:1\n");
    }

    @Test
    void noDockerProcessKeepsTheLocksDescriptor() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("deploy"));
        Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
        // Before the first release: compose ps, then docker inspect through xargs, as everbit_project asks them; the
        // container compose finds is another deploy dir's.
        Path bin = stubDocker(String.join("\n",
                "[ ! -e /proc/$$/fd/9 ] || echo \"$*\" >> " + tmp.resolve("held"),
                "case \"$*\" in",
                "  compose*' ps -q') echo cid1 ;;",
                "  inspect*) echo /srv/elsewhere ;;",
                "esac"));
        String configure = kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", "r", "compose.yaml", "3");
        Ran ran = run(List.of("sh"), RemoteLibrary.load() + "\n" + configure + "\neverbit_open " + dir
                + " && everbit_lock 5 test && everbit_project; echo \"rc=$? project=$project\"",
                Map.of("PATH", bin + ":" + System.getenv("PATH"), "DOCKER_CONFIG", ComposeV2Config.in(tmp).toString()));
        assertThat(ran.out()).contains("already has containers of another deploy dir (/srv/elsewhere)")
                .contains("rc=" + RemoteScripts.CLASH);
        assertThat(tmp.resolve("held")).as("docker calls that held the lock's descriptor").doesNotExist();
    }

    /**
     * The switch's check finds the project in the session's shell; the scripts after it (subshells, as a batch runs
     * them) know it without asking docker again. A project shared with another deploy dir is never kept.
     */
    @Test
    void theProjectIsFoundOncePerSession() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("deploy"));
        Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
        Path calls = tmp.resolve("calls");
        Path bin = stubDocker(String.join("\n",
                "echo \"$*\" >> " + calls,
                "case \"$*\" in",
                // every container, newest first: one without compose, another project's, this dir's (and maybe
                // another dir's) of project deploy
                "  'ps -a --format '*) printf '\\t\\nother\\t/srv/other\\n'",
                "    printf '%s\\n' \"$EVERBIT_TEST_DIRS\" | while IFS= read -r d; do printf 'deploy\\t%s\\n' \"$d\"; done ;;",
                "esac"));
        String configure = kr.everbit.deploy.engine.Shell.call("everbit_configure", "server", "r", "compose.yaml", "3");
        String session = RemoteLibrary.load() + "\n" + configure + "\neverbit_open " + dir + " >/dev/null"
                + "\n{ everbit_project; } </dev/null; echo \"check rc=$? project=$project\""
                + "\n( everbit_project; echo \"later project=$project\" ) </dev/null"
                + "\n( everbit_project; echo \"again project=$project\" ) </dev/null";
        Ran once = run(List.of("sh"), session, Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "EVERBIT_TEST_DIRS", dir.toRealPath().toString()));
        assertThat(once.out()).isEqualTo("check rc=0 project=deploy\nlater project=deploy\nagain project=deploy\n");
        assertThat(Files.readAllLines(calls)).as("docker calls of the whole session").filteredOn(c -> c.startsWith("ps ")).hasSize(1);

        Files.delete(calls);
        Ran shared = run(List.of("sh"), session, Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "EVERBIT_TEST_DIRS", dir.toRealPath() + "\n/srv/elsewhere"));
        assertThat(shared.out()).contains("check rc=" + RemoteScripts.CLASH).contains("later project=deploy")
                .contains("of another deploy dir (/srv/elsewhere)").doesNotContain("/srv/other");
        assertThat(Files.readAllLines(calls)).as("each look asks again: nothing was kept").filteredOn(c -> c.startsWith("ps ")).hasSize(3);
    }

    @Test
    void aHostileWarmLineRunsNothingAndADamagedWindowRetiresNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("deploy/.everbit")).getParent();
        Path marker = tmp.resolve("pwned");
        Path bin = stubDocker("echo \"$*\" >> " + tmp.resolve("calls"));
        Path warm = dir.resolve(".everbit/proxy.warm");
        Files.writeString(warm, "server-green 1;touch${IFS}" + marker + " a:1 1+$(touch " + marker + ")\n");
        Ran kept = run(List.of("sh"), RemoteLibrary.load() + "\ncd " + dir + " && everbit_retire proj server-green 0; echo rc=$?",
                Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertThat(kept.out()).isEqualTo("rc=0\n");
        assertThat(warm).as("its window is not a number: not retired").exists();

        Files.writeString(warm, "server-green $(touch${IFS}" + marker + ") a:1 1\n");
        Ran retired = run(List.of("sh"), RemoteLibrary.load() + "\ncd " + dir + " && everbit_retire proj server-green 0; echo rc=$?",
                Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertThat(retired.out()).contains("retiring the warm server-green ($(touch${IFS}" + marker + "))").endsWith("rc=0\n");
        assertThat(warm).doesNotExist();
        assertThat(Files.readString(tmp.resolve("calls"))).isEqualTo("ps -q --filter label=com.docker.compose.project=proj"
                + " --filter label=com.docker.compose.service=server-green\n");
        assertThat(marker).doesNotExist();
    }

    private Path stubDocker(String body) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\n" + body + "\n");
        bin.resolve("docker").toFile().setExecutable(true);
        return bin;
    }

    private record Ran(int exit, String out) {
    }

    private Ran run(List<String> shell, String script, Map<String, String> env) throws Exception {
        List<String> command = new java.util.ArrayList<>(shell);
        command.addAll(List.of("-c", script));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out);
    }
}
