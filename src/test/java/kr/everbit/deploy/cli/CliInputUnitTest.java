package kr.everbit.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input exits 2 before anything is contacted: the host here is a closed loopback port, so any attempt would show. */
class CliInputUnitTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> up(String... more) throws Exception {
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        List<String> args = new ArrayList<>(List.of("up", "--host", "127.0.0.1", "--port", "1", "--user", "everbit",
                "--known-hosts", knownHosts.toString(), "--dir", "/srv/everbit", "--compose", "docker/compose.yaml",
                "--service", "server", "--image", "ghcr.io/everbit/server"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void aMovingTagIsRefusedWithExit2() throws Exception {
        Run run = cli(up("--sha", "latest").toArray(String[]::new));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("not a git SHA").doesNotContain("ssh");
    }

    @Test
    void injectionThroughRemoteArgumentsIsRefusedOrQuoted() throws Exception {
        assertThat(cli(up("--sha", "abc1234", "--service", "server;reboot").toArray(String[]::new)).exit()).isEqualTo(2);
        assertThat(cli(up("--sha", "abc1234", "--compose", "../../etc/passwd").toArray(String[]::new)).exit()).isEqualTo(2);
        assertThat(cli(up("--sha", "abc1234", "--image", "x$(reboot)").toArray(String[]::new)).exit()).isEqualTo(2);
        assertThat(cli(up("--sha", "abc1234", "--host", "-oProxyCommand=reboot").toArray(String[]::new)).exit()).isEqualTo(2);
    }

    @Test
    void rollbackTargetMustBeAShaOrPrevious() throws Exception {
        List<String> args = up();
        args.set(0, "rollback");
        args.addAll(List.of("--to", "HEAD~1"));
        Run run = cli(args.toArray(String[]::new));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'previous' or a git SHA");
    }

    @Test
    void aMissingKnownHostsFileIsInvalidInput() throws Exception {
        List<String> args = up("--sha", "abc1234");
        args.set(args.indexOf("--known-hosts") + 1, tmp.resolve("absent").toString());
        Run run = cli(args.toArray(String[]::new));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--known-hosts").contains("no such readable file");
    }

    @Test
    void noOptionTakesASecretAndATokenWithoutUserIsRefused() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "ghs_abcdefghijklmnop\n");
        Run run = cli(up("--sha", "abc1234", "--registry-token-file", token.toString()).toArray(String[]::new));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(cli("up", "--registry-token", "x").exit()).isEqualTo(2);
    }

    @Test
    void dryRunPrintsTheSshCommandAndScriptsWithTheTokenMasked() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "ghs_abcdefghijklmnop\n");
        Run run = cli(up("--sha", "abc1234", "--registry-user", "octo", "--registry-token-file", token.toString(), "--dry-run")
                .toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("ssh -T -p 1 -o BatchMode=yes -o StrictHostKeyChecking=yes")
                .contains("flock").contains("--password-stdin").contains("up -d --no-deps server")
                .doesNotContain("ghs_abcdefghijklmnop");
        assertThat(run.err()).doesNotContain("ghs_abcdefghijklmnop");
    }

    @Test
    void aConfigFileSuppliesOptionsAndFlagsWin() throws Exception {
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        Path config = Files.writeString(tmp.resolve("everbit.yaml"), String.join("\n",
                "host: 127.0.0.1", "port: 1", "user: ubuntu", "known-hosts: " + knownHosts, "dir: /srv/everbit",
                "compose: [docker/compose.yaml, docker/compose.prod.yaml]", "service: server", "image: ghcr.io/everbit/server", ""));
        Run run = cli("--config", config.toString(), "up", "--sha", "abc1234", "--user", "deploy", "--dry-run");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("-l deploy").contains("-f docker/compose.yaml -f docker/compose.prod.yaml -f .everbit/pin.yaml");
    }

    @Test
    void configGoesAfterTheSubcommandToo() throws Exception {
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        Path config = Files.writeString(tmp.resolve("everbit.yaml"), String.join("\n",
                "host: 127.0.0.1", "port: 1", "user: ubuntu", "known-hosts: " + knownHosts, "dir: /srv/everbit", ""));
        Run run = cli("status", "--config", config.toString(), "--dry-run");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("-l ubuntu").contains("-p 1");
    }

    @Test
    void anUnknownConfigKeyIsRefusedNamingTheNearestOne() throws Exception {
        Path config = Files.writeString(tmp.resolve("everbit.yaml"), String.join("\n", "host: 127.0.0.1", "healt-timeout: 30", ""));
        Run run = cli("--config", config.toString(), "up", "--sha", "abc1234");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown key 'healt-timeout' (did you mean 'health-timeout'?)").doesNotContain("ssh");
        // Keys of another command are known: one file serves every command.
        Path shared = Files.writeString(tmp.resolve("shared.yaml"), String.join("\n", "url: https://api.everbit.kr/", "tcp: [127.0.0.1:9092]", ""));
        assertThat(cli("--config", shared.toString(), "status", "--host", "bad host").err()).doesNotContain("unknown key");
        // Also when the command line starts with the subcommand, which is then the only one picocli reads.
        assertThat(cli("status", "--config", shared.toString(), "--host", "bad host").err()).doesNotContain("unknown key");
    }

    @Test
    void helpListsEverySubcommand() {
        Run run = cli("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("build", "push", "up", "rollback", "status", "verify", "deploy");
        assertThat(cli("rollback", "--help").out()).contains("--to");
    }

    @Test
    void verifyHasADryRunThatContactsNothing() {
        Run run = cli("verify", "--url", "http://127.0.0.1:1/health", "--dry-run");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("# verify: url http://127.0.0.1:1/health\n");
    }
}
