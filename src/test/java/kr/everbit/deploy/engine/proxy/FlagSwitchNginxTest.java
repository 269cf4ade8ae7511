package kr.everbit.deploy.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch by a flag file against a real Nginx (Debian's), configured with README's snippet as written there:
 * started by the test with a prefix of its own on a free loopback port, in front of two small HTTP servers of the
 * test's JVM (the slots, answering {@code blue} and {@code green}). The library's functions run as the VM runs them,
 * in {@code sh}, here on this machine. A stream of requests through Nginx runs all the while: none may fail, and every
 * request sent after the flip was confirmed must be answered by the new slot. No sandbox is needed.
 */
class FlagSwitchNginxTest {
    /** Where README's snippet reads the flag; the test puts its own deploy dir's flag there. */
    private static final String README_FLAG = "/home/ubuntu/everbit/.everbit/nginx/green.live";
    private static final String FLAG = ".everbit/nginx/green.live";
    private static final Pattern TOOK = Pattern.compile("Nginx answered from (server-\\w+) ([0-9]+) ms after");
    private static final int THREADS = 4;

    @TempDir
    Path tmp;

    private final List<HttpServer> slots = new ArrayList<>();
    private Path prefix;
    private Path deploy;
    private int port;
    private String url;

    @BeforeEach
    void slots() throws IOException {
        assertThat(Path.of(nginx())).as("Debian's nginx is needed: scripts/test-env.sh installs it").isExecutable();
        deploy = Files.createDirectories(tmp.resolve("deploy/.everbit/nginx")).getParent().getParent();
        prefix = Files.createDirectories(tmp.resolve("nginx/tmp")).getParent();
        for (String name : List.of("blue", "green")) {
            HttpServer slot = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            slot.setExecutor(Executors.newFixedThreadPool(4));
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            slot.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            slot.start();
            slots.add(slot);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (Files.exists(prefix.resolve("nginx.pid"))) {
            long pid = Long.parseLong(Files.readString(prefix.resolve("nginx.pid")).strip());
            ProcessHandle.of(pid).ifPresent(master -> {
                master.destroy();
                master.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
            });
        }
        slots.forEach(s -> s.stop(0));
    }

    @Test
    void aFlipUnderARequestStreamFailsNoRequestAndEveryRequestAfterItsConfirmationReachesTheNewSlot() throws Exception {
        startNginx(readmeSnippet(), 2);
        try (Stream stream = new Stream(url)) {
            stream.awaitAnswers(50);
            Sh green = sh(Shell.call("everbit_flip", FLAG, "present", url, "server-green",
                    "server-green ghcr.io/o/server:bbbbbbb 127.0.0.1:" + slotPort(1), "", "0"));
            assertThat(green.exit()).as(green.out()).isZero();
            long greenAt = green.endedAt();
            stream.awaitAnswersAfter(greenAt, 50);
            Sh blue = sh(Shell.call("everbit_flip", FLAG, "absent", url, "server-blue",
                    "server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:" + slotPort(0), "", "0"));
            assertThat(blue.exit()).as(blue.out()).isZero();
            long blueAt = blue.endedAt();
            stream.awaitAnswersAfter(blueAt, 50);
            List<Answer> answers = stream.stop();
            assertThat(answers.stream().filter(a -> !a.ok()).toList()).as("failed requests").isEmpty();
            assertThat(answers.stream().filter(a -> a.sentAt() < green.startedAt()).map(Answer::body)).as("before the flip")
                    .isNotEmpty().containsOnly("blue");
            assertThat(answers.stream().filter(a -> a.sentAt() > greenAt && a.answeredAt() < blue.startedAt())
                    .map(Answer::body)).as("after the flip to green was confirmed").hasSizeGreaterThanOrEqualTo(50).containsOnly("green");
            assertThat(answers.stream().filter(a -> a.sentAt() > blueAt).map(Answer::body))
                    .as("after the flip back to blue was confirmed").hasSizeGreaterThanOrEqualTo(50).containsOnly("blue");
            System.out.println("flag switch through a real Nginx: to green " + took(green) + ", back to blue " + took(blue)
                    + " (flip to confirmed, on the VM side); " + answers.size() + " requests, none failed");
        }
        assertThat(Files.readString(deploy.resolve(ProxyScripts.LIVE_FILE))).startsWith("server-blue ");
        assertThat(Files.readString(prefix.resolve("error.log"))).as("Nginx's error log").doesNotContain("[error]", "[emerg]");
    }

    /**
     * An Nginx that caches its file checks (open_file_cache, which README warns of) keeps sending to blue after the
     * flag appears: the confirmation sees it, the flag is put back, exit 3, and the traffic never noticed.
     */
    @Test
    void aFlipNginxDoesNotTakeIsPutBackWithExit3AndNoRequestFails() throws Exception {
        // One worker: each worker has a cache of its own, and a worker that has not yet checked the flag would see it
        // at once (so it went in a CI run, the confirmation's new connection taken by the stream's idle worker).
        startNginx(readmeSnippet().replace("location / {", "open_file_cache max=16;\n  open_file_cache_valid 60s;\n"
                + "  open_file_cache_errors on;\n  location / {"), 1);
        try (Stream stream = new Stream(url)) {
            stream.awaitAnswers(20);
            Sh flip = sh("everbit_flip_bound=2\n" + Shell.call("everbit_flip", FLAG, "present", url, "server-green",
                    "server-green ghcr.io/o/server:bbbbbbb 127.0.0.1:" + slotPort(1), "", "0"));
            assertThat(flip.exit()).as(flip.out()).isEqualTo(ProxyScripts.NGINX_REFUSED);
            assertThat(flip.out()).contains("everbit_http_status=200 everbit_slot=server-blue")
                    .contains("the flag as it was (absent) is back");
            stream.awaitAnswersAfter(flip.endedAt(), 20);
            List<Answer> answers = stream.stop();
            assertThat(answers).as("no request fails").allMatch(Answer::ok);
            assertThat(answers.stream().map(Answer::body)).containsOnly("blue");
        }
        assertThat(deploy.resolve(FLAG)).doesNotExist();
        assertThat(deploy.resolve(ProxyScripts.LIVE_FILE)).doesNotExist();
    }

    /** An interrupted switch to green is restored: the flag put back, and done once Nginx answers from blue again. */
    @Test
    void theRestoreOfAnInterruptedFlipPutsTheLiveSlotBackUnderTraffic() throws Exception {
        startNginx(readmeSnippet(), 2);
        Files.createFile(deploy.resolve(FLAG));
        try (Stream stream = new Stream(url)) {
            stream.awaitAnswers(20);
            Sh restore = sh(Shell.call("everbit_flag_restore", FLAG, "absent", url, "server-blue", "",
                    "server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:" + slotPort(0), "", "", ""));
            assertThat(restore.exit()).as(restore.out()).isZero();
            stream.awaitAnswersAfter(restore.endedAt(), 20);
            List<Answer> answers = stream.stop();
            assertThat(answers).allMatch(Answer::ok);
            // Answered before the restore began: a request sent just before it may reach Nginx after the flag went.
            assertThat(answers.stream().filter(a -> a.answeredAt() < restore.startedAt()).map(Answer::body)).containsOnly("green");
            assertThat(answers.stream().filter(a -> a.sentAt() > restore.endedAt()).map(Answer::body)).containsOnly("blue");
        }
        assertThat(Files.readString(deploy.resolve(ProxyScripts.LIVE_FILE))).startsWith("server-blue ");
    }

    /** README's snippet of the switch by a flag, its ports, flag and listen made this test's. */
    private String readmeSnippet() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("\\*\\*The switch without a reload[^\n]*\n(?:[^\n]*\n)*?\n```nginx\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(m.find()).as("README's snippet of the switch by a flag").isTrue();
        String snippet = m.group(1);
        assertThat(snippet).contains(README_FLAG, "listen 443 ssl;", "127.0.0.1:18081;", "127.0.0.1:18082;");
        port = freePort();
        url = "http://127.0.0.1:" + port + "/health";
        return snippet.replace(README_FLAG, deploy.resolve(FLAG).toString())
                .replace("listen 443 ssl;", "listen 127.0.0.1:" + port + ";")
                .replace("127.0.0.1:18081;", "127.0.0.1:" + slotPort(0) + ";")
                .replace("127.0.0.1:18082;", "127.0.0.1:" + slotPort(1) + ";");
    }

    private void startNginx(String site, int workers) throws Exception {
        Path tmpDir = prefix.resolve("tmp");
        Files.writeString(prefix.resolve("nginx.conf"), String.join("\n",
                // A master run by root would run its workers as nobody, who cannot enter the test's temporary dir.
                "root".equals(System.getProperty("user.name")) ? "user root;" : "",
                "worker_processes " + workers + ";",
                "pid " + prefix.resolve("nginx.pid") + ";",
                "error_log " + prefix.resolve("error.log") + " warn;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + tmpDir + ";",
                "  proxy_temp_path " + tmpDir + ";",
                "  fastcgi_temp_path " + tmpDir + ";",
                "  uwsgi_temp_path " + tmpDir + ";",
                "  scgi_temp_path " + tmpDir + ";",
                site,
                "}",
                ""));
        Process p = new ProcessBuilder(nginx(), "-p", prefix.toString(), "-e", prefix.resolve("error.log").toString(),
                "-c", prefix.resolve("nginx.conf").toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("starting nginx: " + said).isZero();
    }

    private static String nginx() {
        return "/usr/sbin/nginx";
    }

    private int slotPort(int slot) {
        return slots.get(slot).getAddress().getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String took(Sh ran) {
        Matcher m = TOOK.matcher(ran.out());
        assertThat(m.find()).as(ran.out()).isTrue();
        return m.group(2) + " ms";
    }

    private record Sh(int exit, String out, long startedAt, long endedAt) {
    }

    /** Runs {@code script} after the library, in the deploy dir, as a session on the VM would. */
    private Sh sh(String script) throws Exception {
        long started = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", RemoteLibrary.load() + "\n" + script).directory(deploy.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return new Sh(exit, out, started, System.nanoTime());
    }

    /** One request of the stream: when it was sent and answered (System.nanoTime), and what came back. */
    private record Answer(long sentAt, long answeredAt, boolean ok, String body) {
    }

    /**
     * GET requests through Nginx from a few threads, back to back, bounded in count and time: a connection error or a
     * status other than 200 is a failed request.
     */
    private static final class Stream implements AutoCloseable {
        private static final int MAX_REQUESTS = 50_000;
        private static final Duration MAX_TIME = Duration.ofSeconds(120);
        private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final long deadline = System.nanoTime() + MAX_TIME.toNanos();

        Stream(String url) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < THREADS; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get() && System.nanoTime() < deadline && answers.size() < MAX_REQUESTS) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            answers.add(new Answer(sent, System.nanoTime(), r.statusCode() == 200, r.statusCode() + " " + r.body()));
                        } catch (IOException e) {
                            answers.add(new Answer(sent, System.nanoTime(), false, e.toString()));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "flag-stream-" + i);
                t.start();
                threads.add(t);
            }
        }

        void awaitAnswers(int count) throws InterruptedException {
            awaitAnswersAfter(Long.MIN_VALUE, count);
        }

        /** Waits, within the stream's bound, until {@code count} requests sent after {@code at} were answered. */
        void awaitAnswersAfter(long at, int count) throws InterruptedException {
            while (System.nanoTime() < deadline) {
                synchronized (answers) {
                    if (answers.stream().filter(a -> a.sentAt() > at).count() >= count) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("fewer than " + count + " answers within " + MAX_TIME.toSeconds() + " s");
        }

        /** Stops the stream and returns every answer, the body of a 200 being the slot's name. */
        List<Answer> stop() throws InterruptedException {
            close();
            synchronized (answers) {
                return answers.stream().map(a -> a.ok() ? new Answer(a.sentAt(), a.answeredAt(), true, a.body().substring(4)) : a)
                        .toList();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
