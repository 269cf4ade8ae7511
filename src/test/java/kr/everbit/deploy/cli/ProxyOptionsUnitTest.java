package kr.everbit.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad switch option is refused by up, rollback and deploy alike: exit 2, the option named, no connection made. */
class ProxyOptionsUnitTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--switch blue|--switch",
            "--switch proxy --proxy-port 1 --proxy-port 2 --proxy-port 3|--proxy-port",
            "--switch proxy --proxy-port 0|--proxy-port",
            "--switch proxy --proxy-host 127.0.0.1|two different ports",
            "--switch proxy --drain -1|--drain",
            "--switch proxy --warm 86401|--warm",
            "--switch proxy --proxy-upstream ../nginx.conf|--proxy-upstream",
            "--switch proxy --proxy-port-env 9X|--proxy-port-env",
            "--switch proxy --proxy-swap instant|--proxy-swap 'instant' must be 'reload' or 'flag'",
            "--switch proxy --proxy-confirm-url http://127.0.0.1/|--proxy-confirm-url is for --proxy-swap flag",
            "--switch proxy --proxy-swap flag --proxy-host 127.0.0.1 --proxy-port 1 --proxy-port 2|flag needs --proxy-confirm-url",
            "--switch proxy --proxy-swap flag --proxy-confirm-url http://127.0.0.1/|flag needs --proxy-host",
            "--switch proxy --proxy-swap flag --proxy-host 127.0.0.1 --proxy-port 1 --proxy-port 2 --proxy-confirm-url file:///x|--proxy-confirm-url 'file:///x'",
            "--switch proxy --proxy-swap flag --proxy-host 127.0.0.1 --proxy-port 1 --proxy-port 2 --proxy-confirm-url http://127.0.0.1/ --proxy-flag ../x|--proxy-flag"})
    void isRefusedBeforeAnythingIsContacted(String options, String named) throws IOException {
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        try (ServerSocket vm = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            vm.setSoTimeout(200);
            List<String> common = List.of("--host", "127.0.0.1", "--port", String.valueOf(vm.getLocalPort()), "--user", "u",
                    "--known-hosts", knownHosts.toString(), "--dir", "/srv/app", "--compose", "compose.yaml",
                    "--service", "server", "--image", "r/x");
            for (List<String> command : List.of(List.of("up", "--sha", "abcdef1"), List.of("rollback", "--to", "previous"),
                    List.of("deploy", "--sha", "abcdef1", "--url", "http://127.0.0.1:1/"))) {
                List<String> args = new ArrayList<>(command);
                args.addAll(common);
                args.addAll(List.of(options.split(" ")));
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int exit = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                assertThat(exit).as(command.get(0) + " " + options).isEqualTo(2);
                assertThat(err.toString(StandardCharsets.UTF_8)).contains(named);
                assertThat(accepts(vm)).as("no connection to the VM").isFalse();
            }
        }
    }

    private static boolean accepts(ServerSocket vm) throws IOException {
        try (var ignored = vm.accept()) {
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }
}
