package kr.everbit.deploy.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch by a flag file as shell functions (everbit_flip, everbit_flag_restore, everbit_http_slot and the state
 * read), run in a real sh in a deploy dir of their own, with doubles of curl and wget on PATH that answer as the
 * operator's Nginx would with README's snippet: the slot header names green while the flag file exists. Each double
 * can also be an Nginx that does not see the flag (a cached file check), one that cannot reach the slot (502) and
 * one that does not answer. The same functions against a real Nginx: FlagSwitchNginxTest.
 */
class FlagSwitchUnitTest {
    private static final String FLAG = ".everbit/nginx/green.live";
    private static final String URL = "http://127.0.0.1:1/health";
    private static final String LIVE = "server-green ghcr.io/o/server:bbbbbbb 127.0.0.1:18082";
    private static final String WARM = "server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:18081";
    private static final String LIVE_BEFORE = "server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:18081";

    @TempDir
    Path tmp;

    /** Which answer the Nginx double gives: {@code reads} the flag, {@code stale} (always blue), {@code 502}, {@code down}. */
    private String nginx = "reads";

    @Test
    void aFlipIsRecordedOnlyOnceARequestThroughNginxCameFromTheNewSlot() throws Exception {
        Path dir = deployDir();
        Ran ran = run(dir, Shell.call("everbit_flip", FLAG, "present", URL, "server-green", LIVE, WARM, "600"));
        assertThat(ran.exit()).as(ran.out()).isZero();
        assertThat(ran.out()).containsPattern("everbit: Nginx answered from server-green [0-9]+ ms after the flag file was made present\n");
        assertThat(dir.resolve(FLAG)).exists();
        assertThat(Files.readString(dir.resolve(ProxyScripts.LIVE_FILE))).isEqualTo(LIVE + "\n");
        assertThat(Files.readString(dir.resolve(ProxyScripts.WARM_FILE))).startsWith(WARM + " ");
        assertThat(asked()).isNotEmpty().allMatch(URL::equals);

        Ran back = run(dir, Shell.call("everbit_flip", FLAG, "absent", URL, "server-blue", LIVE_BEFORE, "", "0"));
        assertThat(back.exit()).as(back.out()).isZero();
        assertThat(dir.resolve(FLAG)).doesNotExist();
        assertThat(dir.resolve(ProxyScripts.WARM_FILE)).doesNotExist();
        assertThat(Files.list(dir.resolve(".everbit/nginx"))).as("no temporary file left").isEmpty();
    }

    @Test
    void aFlipNginxDoesNotShowIsPutBackAndFailsWith3AfterPollingWithNothingRecorded() throws Exception {
        for (String answer : List.of("stale", "502", "down")) {
            nginx = answer;
            Path dir = deployDir();
            Files.writeString(dir.resolve(ProxyScripts.LIVE_FILE), LIVE_BEFORE + "\n");
            Files.deleteIfExists(tmp.resolve("asked"));
            // The bound is counted on the VM's clock in whole seconds (date +%s): N gives between N-1 and N seconds,
            // so 2 leaves at least one second for the polls this counts (1 left none when the second turned at once)
            Ran ran = run(dir, "everbit_flip_bound=2\n" + Shell.call("everbit_flip", FLAG, "present", URL, "server-green", LIVE,
                    WARM, "600"));
            assertThat(ran.exit()).as(answer + ": " + ran.out()).isEqualTo(ProxyScripts.NGINX_REFUSED);
            assertThat(ran.out()).as(answer).contains("everbit: Nginx did not answer " + URL + " from server-green within 2s")
                    .endsWith("the flag as it was (absent) is back\n");
            assertThat(dir.resolve(FLAG)).as(answer).doesNotExist();
            assertThat(Files.readString(dir.resolve(ProxyScripts.LIVE_FILE))).as(answer).isEqualTo(LIVE_BEFORE + "\n");
            assertThat(dir.resolve(ProxyScripts.WARM_FILE)).as(answer).doesNotExist();
            assertThat(asked()).as(answer + ": polled, not asked once").hasSizeGreaterThan(1);
        }
        assertThat(run(deployDir(), "everbit_flip_bound=1\n" + Shell.call("everbit_flip", FLAG, "present", URL, "server-green",
                LIVE, WARM, "600")).out()).as("what the last request got is said").contains("curl: (7) Failed to connect");
    }

    @Test
    void theSlotHeaderIsReadFromCurlOrFromWgetAndIsOnlyData() throws Exception {
        Path dir = deployDir();
        Files.createFile(dir.resolve(FLAG));
        String ask = Shell.call("everbit_http_slot", URL, "2");
        assertThat(run(dir, ask).out()).isEqualTo("everbit_http_status=200 everbit_slot=server-green\n");
        // A VM without curl: only wget and what the library needs besides.
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        for (String tool : List.of("sh", "tr", "awk", "head", "sed", "cat", "timeout", "mktemp")) {
            Files.createSymbolicLink(bare.resolve(tool), Path.of(which(tool)));
        }
        Files.copy(tmp.resolve("bin/wget"), bare.resolve("wget"));
        bare.resolve("wget").toFile().setExecutable(true);
        assertThat(run(dir, ask, bare.toString()).out()).isEqualTo("everbit_http_status=200 everbit_slot=server-green\n");
        nginx = "hostile";
        Path marker = tmp.resolve("pwned");
        Ran hostile = run(dir, ask + "\n" + Shell.call("everbit_serves", URL, "server-green") + "; echo rc=$?");
        assertThat(hostile.out()).startsWith("everbit_http_status=200 everbit_slot=$(touch${IFS}" + tmp + "/pwned)\n")
                .endsWith("rc=1\n");
        assertThat(marker).doesNotExist();
    }

    @Test
    void theStateSaysWhatTheFlagIsAndWhichSlotNginxServes() throws Exception {
        Path dir = deployDir();
        Ran ran = run(dir, Shell.call("everbit_proxy_state", ".everbit/nginx/upstream.conf", "", FLAG, URL));
        assertThat(ran.out()).startsWith("flag absent\nserved everbit_http_status=200 everbit_slot=server-blue\nnow ");
        nginx = "down";
        assertThat(run(dir, Shell.call("everbit_proxy_state", ".everbit/nginx/upstream.conf", "", FLAG, URL)).out())
                .startsWith("flag absent\nserved everbit_http_status= everbit_slot=\nserved everbit_http_error=curl: (7)");
        assertThat(run(dir, Shell.call("everbit_proxy_state", ".everbit/nginx/upstream.conf", "")).out())
                .as("the reload mode's state is as before").startsWith("now ");
    }

    /**
     * An interrupted switch to green (the flag made present, the slot started) is restored: the flag absent again,
     * confirmed by a request Nginx answers from blue, the state files as before, and only then green stopped.
     */
    @Test
    void anInterruptedFlipIsRestoredAndCountsAsDoneOnlyOnceNginxServesTheLiveSlot() throws Exception {
        for (String answer : List.of("reads", "502")) {
            nginx = answer;
            Path dir = deployDir();
            Files.createFile(dir.resolve(FLAG));
            Files.writeString(dir.resolve(ProxyScripts.LIVE_FILE), LIVE + "\n");
            Files.deleteIfExists(tmp.resolve("docker-calls"));
            Ran ran = run(dir, "everbit_flip_bound=1\n" + Shell.call("everbit_configure", "server", "ghcr.io/o/server",
                    "compose.yaml", "3") + "\n" + Shell.call("everbit_flag_restore", FLAG, "absent", URL, "server-blue", "",
                    LIVE_BEFORE, "", "", "server-green"));
            assertThat(dir.resolve(FLAG)).as(answer).doesNotExist();
            assertThat(Files.readString(dir.resolve(ProxyScripts.LIVE_FILE))).as(answer).isEqualTo(LIVE_BEFORE + "\n");
            assertThat(Files.readString(tmp.resolve("docker-calls"))).as(answer).contains("stop -t 30 cid1");
            if (answer.equals("reads")) {
                assertThat(ran.exit()).as(ran.out()).isZero();
            } else {
                assertThat(ran.exit()).as(ran.out()).isNotZero();
                assertThat(ran.out()).contains("everbit: Nginx did not answer " + URL + " from server-blue within 1s of the"
                        + " restore's flag");
            }
        }
    }

    /** A deploy dir of its own, with the doubles of curl, wget and docker in tmp/bin. */
    private Path deployDir() throws Exception {
        Path dir = Files.createTempDirectory(tmp, "deploy");
        Files.createDirectories(dir.resolve(".everbit/nginx"));
        Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        // The operator's Nginx with README's snippet, as curl shows its answer (-D -), for the answer NGINX_ANSWER.
        String nginxSays = String.join("\n",
                "echo \"$url\" >> " + tmp.resolve("asked"),
                "slot=server-blue",
                "[ ! -e .everbit/nginx/green.live ] || slot=server-green",
                "case $NGINX_ANSWER in",
                "  stale) status='200 OK'; slot=server-blue ;;",
                "  502) status='502 Bad Gateway' ;;",
                "  down) echo 'curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Connection refused' >&2; exit 7 ;;",
                "  hostile) status='200 OK'; slot='$(touch${IFS}" + tmp + "/pwned)' ;;",
                "  *) status='200 OK' ;;",
                "esac");
        write(bin.resolve("curl"), "for url; do :; done\n" + nginxSays + "\nprintf 'HTTP/1.1 %s\\r\\nServer: nginx\\r\\nX-Everbit-Slot: %s\\r\\n\\r\\n'"
                + " \"$status\" \"$slot\"");
        // wget -S prints the headers indented, on stderr.
        write(bin.resolve("wget"), "for url; do :; done\n" + nginxSays.replace("curl: (7)", "wget: cannot connect to remote host:")
                + "\nprintf '  HTTP/1.1 %s\\n  Server: nginx\\n  X-Everbit-Slot: %s\\n' \"$status\" \"$slot\" >&2");
        // Docker as dockerd answers for one running container of this dir's project.
        write(bin.resolve("docker"), String.join("\n",
                "echo \"$*\" >> " + tmp.resolve("docker-calls"),
                "case \"$*\" in",
                "  'ps -a --format '*) printf 'proj\\t%s\\n' \"$(pwd -P)\" ;;",
                "  'ps -q '*) echo cid1 ;;",
                "esac"));
        return dir;
    }

    private List<String> asked() throws Exception {
        Path asked = tmp.resolve("asked");
        return Files.exists(asked) ? Files.readAllLines(asked) : List.of();
    }

    private static void write(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        file.toFile().setExecutable(true);
    }

    private static String which(String tool) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private record Ran(int exit, String out) {
    }

    private Ran run(Path dir, String script) throws Exception {
        return run(dir, script, tmp.resolve("bin") + ":" + System.getenv("PATH"));
    }

    private Ran run(Path dir, String script, String path) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", RemoteLibrary.load() + "\n" + script));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("PATH", path, "NGINX_ANSWER", nginx));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out);
    }
}
