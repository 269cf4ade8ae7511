package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxyRelease;

/**
 * The current and previous release, the image pinned now, and the history, oldest first; whether a switch is in
 * flight, and the warnings an operator must read before acting on the ledger. In proxy mode, {@code live} is the
 * release Nginx sends to and {@code warm} the one kept running out of rotation (each null when there is none).
 */
public record StatusReport(String current, String previous, String pinnedImage, List<LedgerEntry> history,
                           int unreadableLines, boolean inFlight, List<String> warnings, ProxyRelease live,
                           ProxyRelease warm) {
    public StatusReport {
        history = List.copyOf(history);
        warnings = List.copyOf(warnings);
    }
}
