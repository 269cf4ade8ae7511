package kr.everbit.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every out-of-range value and malformed URL is refused the same way by up, rollback, verify and deploy: exit 2,
 * a message naming the option, and nothing contacted. The VM (--port) and every good probe URL are one loopback
 * listener that counts connections: an ssh started or a probe sent by mistake would show there.
 */
class ValidationBeforeContactUnitTest {
    @TempDir
    static Path tmp;

    private static ServerSocket listener;
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    @BeforeAll
    static void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket ignored = listener.accept()) {
                    CONNECTIONS.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "count-connections");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    static void close() throws IOException {
        listener.close();
    }

    static Stream<Arguments> badValues() {
        String p = "http://127.0.0.1:65536";
        List<Arguments> cases = new ArrayList<>();
        for (String command : List.of("up", "rollback", "deploy")) {
            cases.add(bad(command, "--lock-timeout", "-5", "--lock-timeout must be 0 to 3600 seconds, not -5"));
            cases.add(bad(command, "--lock-timeout", "3601", "--lock-timeout must be 0 to 3600 seconds, not 3601"));
            cases.add(bad(command, "--health-timeout", "0", "--health-timeout must be 1 to 3600 seconds, not 0"));
            cases.add(bad(command, "--health-timeout", "3601", "--health-timeout must be 1 to 3600 seconds, not 3601"));
            cases.add(bad(command, "--port", "65536", "--port 65536 is not a TCP port (1-65535)"));
        }
        for (String command : List.of("up", "rollback", "deploy")) {
            cases.add(bad(command, "--target", "kubernetes", "--target 'kubernetes' must be 'compose' or 'swarm'"));
            cases.add(bad(command, "--target", "swarm", "--target swarm needs --stack NAME"));
            cases.add(bad(command, "--stack", "everbit", "--stack is for --target swarm"));
            cases.add(bad(command, "--target", "swarm", "--stack", "Bad Name", "--stack 'Bad Name' is not a stack name"));
            cases.add(bad(command, "--target", "swarm", "--stack", "everbit", "--dry-run", "--dry-run is not available with --target swarm"));
            cases.add(bad(command, "--target", "swarm", "--stack", "everbit", "--switch", "proxy",
                    "--switch proxy (the swarm's update_config replaces tasks) is not available with --target swarm"));
        }
        cases.add(bad("deploy", "--target", "swarm", "--stack", "everbit", "--container", "server",
                "--container (the tool waits until every task of the service runs) is not available with --target swarm"));
        cases.add(bad("rollback", "--target", "swarm", "--stack", "everbit", "--failed-checks", "latest",
                "--failed-checks 'latest'"));
        cases.add(bad("up", "--retain", "1", "--retain must be at least 2"));
        cases.add(bad("deploy", "--retain", "1", "--retain must be at least 2"));
        for (String command : List.of("verify", "deploy")) {
            cases.add(bad(command, "--url", "http://127.0.0.1:65536/",
                    "--url 'http://127.0.0.1:65536/': port 65536 is not a TCP port (1-65535)"));
            cases.add(bad(command, "--url", "https://127.0.0.1:0/", "--url 'https://127.0.0.1:0/': port 0 is not a TCP port"));
            cases.add(bad(command, "--url", "http://127.0.0.1:99999999999/",
                    "'127.0.0.1:99999999999' is not a host name or address with an optional port"));
            cases.add(bad(command, "--url", "http://api_everbit.kr/", "--url 'http://api_everbit.kr/': 'api_everbit.kr' is not a host name"));
            cases.add(bad(command, "--url", "http://ops:hunter2@127.0.0.1/", "--url 'http://****@127.0.0.1/' must not carry a user or password"));
            cases.add(bad(command, "--remote-url", "http://127.0.0.1:70000/actuator/health",
                    "--remote-url 'http://127.0.0.1:70000/actuator/health': port 70000 is not a TCP port"));
            cases.add(bad(command, "--prometheus", p, "--query", "up", "--max", "1",
                    "--prometheus 'http://127.0.0.1:65536': port 65536 is not a TCP port"));
            cases.add(bad(command, "--prometheus", "http://127.0.0.1:9090/?x=1", "--query", "up", "--max", "1",
                    "--prometheus 'http://127.0.0.1:9090/?x=1' must be the server's base URL"));
            cases.add(bad(command, "--timeout", "0", "--timeout must be 1 to 3600 seconds, not 0"));
            cases.add(bad(command, "--timeout", "3601", "--timeout must be 1 to 3600 seconds, not 3601"));
            cases.add(bad(command, "--interval", "49", "--interval must be 50 to 60000 milliseconds, not 49"));
            cases.add(bad(command, "--interval", "60001", "--interval must be 50 to 60000 milliseconds, not 60001"));
            cases.add(bad(command, "--settle", "-1", "--settle must be 0 to 3600 seconds, not -1"));
            cases.add(bad(command, "--settle", "3601", "--settle must be 0 to 3600 seconds, not 3601"));
        }
        return cases.stream();
    }

    /** @param optionAndTokens the option, its value tokens, then the expected message last */
    private static Arguments bad(String command, String option, String... tokensThenMessage) {
        List<String> tokens = List.of(tokensThenMessage).subList(0, tokensThenMessage.length - 1);
        return Arguments.of(command, option, tokens, tokensThenMessage[tokensThenMessage.length - 1]);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badValues")
    void isExit2NamingTheOptionWithNothingContacted(String command, String option, List<String> tokens, String message)
            throws IOException {
        Map<String, List<String>> options = goodOptions(command);
        options.put(option, tokens);
        List<String> argv = new ArrayList<>(List.of(command));
        options.forEach((name, values) -> {
            argv.add(name);
            argv.addAll(values);
        });
        int before = CONNECTIONS.get();
        CliInputUnitTest.Run run = CliInputUnitTest.cli(argv.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("hunter2");
        assertThat(CONNECTIONS.get()).as("connections to the VM or a probe").isEqualTo(before);
    }

    @Test
    void theGoodOptionsAloneDoContactTheListener() throws Exception {
        // Without this, a listener that counts nothing would make every case above pass.
        int before = CONNECTIONS.get();
        Map<String, List<String>> options = goodOptions("verify");
        options.putAll(Map.of("--timeout", List.of("1"), "--interval", List.of("200")));
        List<String> argv = new ArrayList<>(List.of("verify"));
        options.forEach((name, values) -> {
            argv.add(name);
            argv.addAll(values);
        });
        assertThat(CliInputUnitTest.cli(argv.toArray(String[]::new)).exit()).isEqualTo(1);
        assertThat(CONNECTIONS.get()).isGreaterThan(before);
    }

    /** Valid options of each command: the VM and the probe are the counting listener. */
    private static Map<String, List<String>> goodOptions(String command) throws IOException {
        Path knownHosts = tmp.resolve("known_hosts");
        if (!Files.exists(knownHosts)) {
            Files.writeString(knownHosts, "");
        }
        String port = String.valueOf(listener.getLocalPort());
        Map<String, List<String>> options = new LinkedHashMap<>();
        options.put("--host", List.of("127.0.0.1"));
        options.put("--port", List.of(port));
        options.put("--user", List.of("everbit"));
        options.put("--known-hosts", List.of(knownHosts.toString()));
        options.put("--dir", List.of("/srv/everbit"));
        options.put("--compose", List.of("docker/compose.yaml"));
        if (!command.equals("verify")) {
            options.put("--service", List.of("server"));
            options.put("--image", List.of("127.0.0.1:5000/everbit/server"));
        }
        switch (command) {
            case "rollback" -> options.put("--to", List.of("previous"));
            case "verify" -> options.put("--url", List.of("http://127.0.0.1:" + port + "/"));
            default -> options.put("--sha", List.of("abc1234"));
        }
        if (command.equals("deploy")) {
            options.put("--url", List.of("http://127.0.0.1:" + port + "/"));
        }
        return options;
    }
}
