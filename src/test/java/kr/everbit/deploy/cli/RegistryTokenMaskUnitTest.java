package kr.everbit.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command that reads a registry token (push, up, deploy, rollback) masks it in all its output from the moment
 * it is read, not only push: the VM's answers, errors and progress go through the same masker.
 */
class RegistryTokenMaskUnitTest {
    private static final String TOKEN = "fake-token-masked-everywhere";
    @TempDir
    Path tmp;

    @Test
    void aTokenFromAFileOrStdinIsMaskedInTheCommandsOutput() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        for (List<String> given : List.of(List.of("--registry-user", "octo", "--registry-token-file", file.toString()),
                List.of("--registry-user", "octo", "--registry-token-stdin"))) {
            RegistryOptions options = new RegistryOptions();
            new CommandLine(new Holder(options)).parseArgs(given.toArray(String[]::new));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Context ctx = new Context(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            options.login(new ByteArrayInputStream((TOKEN + "\n").getBytes(StandardCharsets.UTF_8)), ctx);

            ctx.progress.warn("the VM said: denied for " + TOKEN);
            assertThat(ctx.masker.mask("login " + TOKEN + " refused")).doesNotContain(TOKEN);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("the VM said").doesNotContain(TOKEN);
        }
    }

    /** up, deploy and rollback: with a pull token the VM logs in with it, and the push token is not even read. */
    @Test
    void theVmPullsWithThePullTokenAndThePushTokenIsNotRead() throws Exception {
        Path pullFile = Files.writeString(tmp.resolve("pull"), "fake-read-only-pull-token\n");
        RegistryOptions options = new RegistryOptions();
        PullTokenOptions pull = new PullTokenOptions();
        new CommandLine(new Holder(options, pull)).parseArgs("--registry-user", "octo",
                "--registry-token-file", tmp.resolve("push-token-not-on-this-machine").toString(),
                "--pull-token-file", pullFile.toString());
        Context ctx = new Context(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        var login = options.vmLogin(pull, new ByteArrayInputStream(new byte[0]), ctx);
        assertThat(login.user()).isEqualTo("octo");
        assertThat(login.token().reveal()).isEqualTo("fake-read-only-pull-token");
        assertThat(ctx.masker.mask("fake-read-only-pull-token")).doesNotContain("fake-read-only-pull-token");

        assertThat(CliInputUnitTest.cli("up", "--pull-token-stdin", "--registry-token-stdin", "--registry-user", "octo",
                "--sha", "abc1234", "--host", "127.0.0.1", "--port", "1", "--dir", "/srv/everbit", "--service", "server",
                "--image", "ghcr.io/everbit/server", "--dry-run").exit()).isEqualTo(2);
    }

    @CommandLine.Command(name = "holder")
    static final class Holder {
        @CommandLine.Mixin
        final RegistryOptions registry;

        @CommandLine.Mixin
        final PullTokenOptions pull;

        Holder(RegistryOptions registry) {
            this(registry, new PullTokenOptions());
        }

        Holder(RegistryOptions registry, PullTokenOptions pull) {
            this.registry = registry;
            this.pull = pull;
        }
    }
}
