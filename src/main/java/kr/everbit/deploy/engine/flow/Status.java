package kr.everbit.deploy.engine.flow;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.proxy.ProxyRelease;
import kr.everbit.deploy.engine.proxy.ProxyScripts;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;

/** Reads what runs and what ran, without taking the lock; needs only the deploy dir. */
public final class Status {
    private static final String SEPARATOR = "--- everbit pin ---";

    public StatusReport run(Vm vm) {
        return run(vm.shell(), vm.project().dir());
    }

    public StatusReport run(RemoteShell shell, String dir) {
        ShellResult read = shell.run(RemoteScripts.status(dir, SEPARATOR));
        if (!read.ok()) {
            throw new EverbitException(read.lastLine().replace("everbit: ", "") + " (check {dir})");
        }
        List<String> lines = read.lines();
        int split = lines.indexOf(SEPARATOR);
        int second = split < 0 ? -1 : lines.subList(split + 1, lines.size()).indexOf(SEPARATOR) + split + 1;
        List<String> ledgerLines = split < 0 ? lines : lines.subList(0, split);
        List<String> pinLines = split < 0 ? List.of() : lines.subList(split + 1, second > split ? second : lines.size());
        String pinned = pinLines.stream().filter(l -> !l.isBlank()).findFirst().orElse(null);
        boolean inFlight = second > split && lines.subList(second + 1, lines.size()).contains("inflight");
        Ledger ledger = Ledger.parse(ledgerLines);
        List<String> tail = second > split ? lines.subList(second + 1, lines.size()) : List.of();
        List<String> warnings = warnings(ledger, pinned, inFlight);
        return new StatusReport(ledger.current(), ledger.previous(), pinned, ledger.entries(), ledger.unreadableLines().size(),
                inFlight, warnings, proxy(tail, "proxy-live ", ProxyScripts.LIVE_FILE, warnings),
                proxy(tail, "proxy-warm ", ProxyScripts.WARM_FILE, warnings));
    }

    /** The release a proxy state file names; a damaged line is reported, never shown as a release. */
    private static ProxyRelease proxy(List<String> lines, String prefix, String file, List<String> warnings) {
        String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()))
                .orElse(null);
        ProxyRelease release = line == null ? null : ProxyRelease.parse(line);
        if (line != null && release == null) {
            warnings.add(file + " line 1 is not what everbit-deploy writes ('" + Printable.of(line)
                    + "'): the next proxy switch refuses to run until it is repaired or removed");
        }
        return release;
    }

    /** What an operator must know before acting on the ledger: the doors print these as they are. */
    private static List<String> warnings(Ledger ledger, String pinned, boolean inFlight) {
        List<String> warnings = new ArrayList<>();
        if (inFlight) {
            warnings.add("a release switch is in flight, or was interrupted and not recovered yet: the VM restores the"
                    + " release before it on its own, or the next up or rollback does, under the deploy lock");
        }
        LedgerEntry current = ledger.lastSuccess();
        if (!inFlight && current != null && current.image() != null && pinned != null && !pinned.equals(current.image())) {
            warnings.add("the pin names " + pinned + " but the ledger's current release is " + current.sha() + " ("
                    + current.image() + "): the VM may not run what the ledger says; the next up or rollback restores the"
                    + " ledger's release if it fails");
        }
        if (ledger.currentRestoreFailed()) {
            warnings.add(Vm.restoreFailed(ledger));
        }
        int unreadable = ledger.unreadableLines().size();
        if (unreadable > 0) {
            warnings.add(unreadable + (unreadable == 1 ? " ledger line" : " ledger lines") + " could not be read"
                    + (ledger.damagedAfterLastEntry() ? ", the last one among them: 'previous' is refused until it is"
                    + " repaired (a rollback to a named SHA still works)" : "") + " (" + Vm.lineNumbers(ledger) + " of "
                    + ComposeProject.LEDGER_FILE + ")");
        }
        return warnings;
    }
}
