package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.FilePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileUnitTest {
    private static final String LINE = "[api.everbit.kr]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample";
    @TempDir
    Path tmp;

    @Test
    void theLinesAreWrittenBesideTheWorkspaceAndRemovedAfterwards() throws Exception {
        Path ws = Files.createDirectory(tmp.resolve("ws"));
        Path written;
        try (KnownHostsFile file = KnownHostsFile.write(new FilePath(ws.toFile()), Map.of(), LINE + "\n")) {
            written = Path.of(file.path());
            assertThat(written.getParent()).isEqualTo(tmp.resolve("ws@tmp"));
            assertThat(Files.readString(written)).isEqualTo(LINE + "\n");
        }
        assertThat(written).doesNotExist();
        assertThat(ws).isEmptyDirectory();
    }

    @Test
    void aWorkspaceWithASpaceFallsBackToTheAgentsTemporaryDirectory() throws Exception {
        Path ws = Files.createDirectory(tmp.resolve("my job"));
        Path agentTmp = Files.createDirectory(tmp.resolve("agent-tmp"));
        try (KnownHostsFile file = KnownHostsFile.write(new FilePath(ws.toFile()), Map.of("TMPDIR", agentTmp.toString()), LINE)) {
            assertThat(Path.of(file.path()).getParent()).isEqualTo(agentTmp);
        }
        assertThat(agentTmp).isEmptyDirectory();
    }

    @Test
    void theTextIsCheckedBeforeAnythingIsWritten() throws AbortException {
        assertThat(KnownHostsFile.checked("knownHosts", "# the VM\n" + LINE + "\n\n")).isEqualTo(LINE + "\n");
        assertThatThrownBy(() -> KnownHostsFile.checked("knownHosts", "  \n# only a comment\n"))
                .hasMessageStartingWith("knownHosts: holds no known_hosts line");
        assertThatThrownBy(() -> KnownHostsFile.checked("knownHosts", "~/.ssh/known_hosts"))
                .hasMessage("knownHosts: takes the known_hosts lines themselves, not a path ('~/.ssh/known_hosts'):"
                        + " use readFile('known_hosts') in the Jenkinsfile, or a secret file credential with knownHostsCredentialsId:");
        assertThatThrownBy(() -> KnownHostsFile.checked("knownHostsCredentialsId", LINE + "\nssh-ed25519 AAAA"))
                .hasMessageStartingWith("knownHostsCredentialsId: line 2 is not a known_hosts line");
    }
}
