package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.ledger.LedgerEntry;

/** The current and previous release, the image pinned now, and the history, oldest first. */
public record StatusReport(String current, String previous, String pinnedImage, List<LedgerEntry> history,
                           int unreadableLines) {
}
