package kr.everbit.deploy.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerUnitTest {
    private static String line(String sha, String action, String result) {
        return Ledger.toJson(new LedgerEntry(sha, "r:" + sha, null, action, result, null, "t0", "t1", "me", null));
    }

    @Test
    void aLineThatIsNotWhatTheToolWritesIsUnreadableNamedByItsNumberAndNeverActedOn() {
        String crafted = "{\"sha\":\"aaaaaaa\",\"image\":\"ghcr.io/o/server:aaaaaaa\\\"\\n    privileged: true\\n    x: \\\"\","
                + "\"action\":\"deploy\",\"result\":\"success\"}";
        List<String> lines = List.of(Ledger.toJson(new LedgerEntry("aaaaaaa", "ghcr.io/o/server:aaaaaaa", null, "deploy",
                        "success", null, "t0", "t1", "me", null)), "null", crafted,
                Ledger.toJson(new LedgerEntry("bbbbbbb", "ghcr.io/other/server:bbbbbbb", null, "deploy", "success", null, "t", "t", "me", null)),
                Ledger.toJson(new LedgerEntry("ccccccc", "ghcr.io/o/server:latest", null, "deploy", "success", null, "t", "t", "me", null)),
                Ledger.toJson(new LedgerEntry("ddddddd", null, null, "deploy", "success", "$(id)", "t", "t", "me", null)),
                Ledger.toJson(new LedgerEntry("eeeeeee", null, null, "deploy", "maybe", null, "t", "t", "me", null)));
        Ledger ledger = Ledger.parse(lines, kr.everbit.deploy.engine.ImageRef.of("ghcr.io/o/server"));
        assertThat(ledger.entries()).hasSize(1);
        assertThat(ledger.current()).isEqualTo("aaaaaaa");
        assertThat(ledger.unreadableLineNumbers()).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(Ledger.parse(lines).unreadableLineNumbers()).as("status checks the image's shape alone")
                .containsExactly(2, 3, 5, 6, 7);
    }

    @Test
    void aFailedRestoreOfTheCurrentReleaseIsSaidAsSuch() {
        Ledger restoreFailed = Ledger.parse(List.of(line("aaaaaaa", "deploy", "success"), line("bbbbbbb", "deploy", "failed"),
                line("aaaaaaa", "rollback", "failed")));
        assertThat(restoreFailed.current()).isEqualTo("aaaaaaa");
        assertThat(restoreFailed.currentRestoreFailed()).isTrue();
        assertThat(Ledger.parse(List.of(line("aaaaaaa", "deploy", "success"), line("bbbbbbb", "rollback", "failed")))
                .currentRestoreFailed()).as("a failed rollback to another release leaves the current one running").isFalse();
    }

    @Test
    void anEmptyLedgerHasNoCurrentNorPrevious() {
        Ledger ledger = Ledger.parse(List.of());
        assertThat(ledger.current()).isNull();
        assertThat(ledger.previous()).isNull();
    }

    @Test
    void previousIsTheLastHealthyReleaseBeforeTheCurrentOne() {
        Ledger ledger = Ledger.parse(List.of(line("aaaaaaa", "deploy", "success"), line("bbbbbbb", "deploy", "success"),
                line("ccccccc", "deploy", "failed")));
        assertThat(ledger.current()).isEqualTo("bbbbbbb");
        assertThat(ledger.previous()).isEqualTo("aaaaaaa");
    }

    @Test
    void afterARollbackTheReleaseLeftIsThePrevious() {
        Ledger ledger = Ledger.parse(List.of(line("aaaaaaa", "deploy", "success"), line("bbbbbbb", "deploy", "success"),
                line("aaaaaaa", "rollback", "success")));
        assertThat(ledger.current()).isEqualTo("aaaaaaa");
        assertThat(ledger.previous()).isEqualTo("bbbbbbb");
    }

    @Test
    void keepsTheNewestReleasesAndAlwaysCurrentAndPrevious() {
        Ledger ledger = Ledger.parse(List.of(line("1111111", "deploy", "success"), line("2222222", "deploy", "success"),
                line("3333333", "deploy", "success"), line("2222222", "rollback", "success")));
        assertThat(ledger.retained(2)).containsExactlyInAnyOrder("2222222", "3333333");
        assertThat(ledger.retained(3)).containsExactlyInAnyOrder("1111111", "2222222", "3333333");
    }

    @Test
    void aDamagedLineIsSetAsideNotFatal() {
        Ledger ledger = Ledger.parse(List.of("{not json", line("aaaaaaa", "deploy", "success"), "{\"sha\":\"latest\"}"));
        assertThat(ledger.current()).isEqualTo("aaaaaaa");
        assertThat(ledger.unreadableLines()).hasSize(2);
    }

    @Test
    void twoEntriesGluedOnOneLineAreDamageNotTheFirstOfThem() {
        Ledger ledger = Ledger.parse(List.of(line("aaaaaaa", "deploy", "success"),
                line("bbbbbbb", "deploy", "success") + line("ccccccc", "deploy", "success")));
        assertThat(ledger.current()).as("the glued line is not read as bbbbbbb").isEqualTo("aaaaaaa");
        assertThat(ledger.unreadableLines()).hasSize(1);
        assertThat(ledger.damagedAfterLastEntry()).isTrue();
    }

    @Test
    void aTruncatedLastLineMakesTheNewestHistoryUntrusted() {
        String truncated = line("bbbbbbb", "deploy", "success");
        Ledger ledger = Ledger.parse(List.of(line("aaaaaaa", "deploy", "success"), truncated.substring(0, truncated.length() / 2)));
        assertThat(ledger.damagedAfterLastEntry()).isTrue();
        Ledger healed = Ledger.parse(List.of("{not json", line("aaaaaaa", "deploy", "success")));
        assertThat(healed.damagedAfterLastEntry()).as("damage before the last good entry").isFalse();
    }

    @Test
    void anEntryRoundTripsThroughOneJsonLine() {
        LedgerEntry entry = new LedgerEntry("abc1234", "r:abc1234", "sha256:00", "deploy", "success", "0000000", "t0", "t1", "me", "why\nnot");
        String json = Ledger.toJson(entry);
        assertThat(json).doesNotContain("\n");
        assertThat(Ledger.parse(List.of(json)).entries()).containsExactly(entry);
    }
}
