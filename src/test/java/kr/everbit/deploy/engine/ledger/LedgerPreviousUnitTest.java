package kr.everbit.deploy.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "previous" after a guarded deploy: a release that failed its checks is no rollback target. */
class LedgerPreviousUnitTest {
    private final List<String> lines = new ArrayList<>();

    @Test
    void theReleaseBeforeAFailedVerificationIsPrevious() {
        add("aaaaaaa", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.VERIFY, LedgerEntry.FAILED);
        Ledger ledger = Ledger.parse(lines);
        assertThat(ledger.current()).isEqualTo("bbbbbbb");
        assertThat(ledger.previous()).isEqualTo("aaaaaaa");
    }

    @Test
    void afterTheRollbackTheFailedReleaseIsNotPrevious() {
        add("aaaaaaa", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.VERIFY, LedgerEntry.FAILED);
        add("aaaaaaa", LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS);
        Ledger ledger = Ledger.parse(lines);
        assertThat(ledger.current()).isEqualTo("aaaaaaa");
        assertThat(ledger.previous()).isNull();
    }

    @Test
    void anOlderHealthyReleaseIsFoundPastAFailedOne() {
        add("0000000", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("aaaaaaa", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.VERIFY, LedgerEntry.FAILED);
        add("aaaaaaa", LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS);
        assertThat(Ledger.parse(lines).previous()).isEqualTo("0000000");
    }

    @Test
    void aFailedReleaseDeployedAgainSuccessfullyCountsAgain() {
        add("aaaaaaa", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.VERIFY, LedgerEntry.FAILED);
        add("aaaaaaa", LedgerEntry.ROLLBACK, LedgerEntry.SUCCESS);
        add("bbbbbbb", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("ccccccc", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        assertThat(Ledger.parse(lines).previous()).isEqualTo("bbbbbbb");
    }

    @Test
    void aFirstReleaseThatFailedVerificationLeavesNoPrevious() {
        add("aaaaaaa", LedgerEntry.DEPLOY, LedgerEntry.SUCCESS);
        add("aaaaaaa", LedgerEntry.VERIFY, LedgerEntry.FAILED);
        assertThat(Ledger.parse(lines).previous()).isNull();
    }

    private void add(String sha, String action, String result) {
        lines.add(Ledger.toJson(new LedgerEntry(sha, "r/s:" + sha, null, action, result, null, null,
                "2026-02-14T00:00:0" + lines.size() + "Z", "test", null)));
    }
}
