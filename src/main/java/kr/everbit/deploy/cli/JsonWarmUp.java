package kr.everbit.deploy.cli;

import java.util.List;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/**
 * Loads the ledger's JSON reader and writer on a side thread while the command parses and connects: their first
 * use costs about 100 ms, which would otherwise lie on the path of every rollback.
 */
final class JsonWarmUp {
    private JsonWarmUp() {
    }

    static void start() {
        Thread thread = new Thread(() -> Ledger.parse(List.of(Ledger.toJson(
                new LedgerEntry("0000000", "warm:0000000", null, LedgerEntry.DEPLOY, LedgerEntry.SUCCESS, null, null, null, null, null)))),
                "json-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
