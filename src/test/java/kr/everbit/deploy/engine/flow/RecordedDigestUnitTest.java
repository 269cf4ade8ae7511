package kr.everbit.deploy.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;

/** Which digest a rollback to a release no longer on the VM pulls by: the ledger is data read from the VM. */
class RecordedDigestUnitTest {
    private static final String SHA = "3f9c2ab";
    private static final String OLD = "sha256:" + "a".repeat(64);
    private static final String NEW = "sha256:" + "b".repeat(64);

    private static String line(String sha, String digest, String result) {
        return Ledger.toJson(new LedgerEntry(sha, "ghcr.io/everbit/server:" + sha, digest, LedgerEntry.DEPLOY, result,
                null, "2026-12-07T03:00:00Z", "2026-12-07T03:01:00Z", "jenkins", null));
    }

    @Test
    void theNewestSuccessfulRunOfTheReleaseCounts() {
        Ledger ledger = Ledger.parse(List.of(line(SHA, OLD, LedgerEntry.SUCCESS), line("bbbbbbb", NEW, LedgerEntry.SUCCESS),
                line(SHA, NEW, LedgerEntry.SUCCESS), line(SHA, "sha256:" + "c".repeat(64), LedgerEntry.FAILED)));
        assertThat(ImagePull.recordedDigest(ledger, SHA)).isEqualTo(NEW);
    }

    @Test
    void aValueThatIsNoDigestOrNoRecordMeansByTag() {
        assertThat(ImagePull.recordedDigest(Ledger.parse(List.of(line(SHA, "sha256:x; rm -rf /", LedgerEntry.SUCCESS))), SHA))
                .isNull();
        assertThat(ImagePull.recordedDigest(Ledger.parse(List.of(line(SHA, null, LedgerEntry.SUCCESS))), SHA)).isNull();
        assertThat(ImagePull.recordedDigest(Ledger.parse(List.of(line("ccccccc", OLD, LedgerEntry.SUCCESS))), SHA)).isNull();
    }
}
