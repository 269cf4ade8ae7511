package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.ledger.Ledger;
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
            throw new EverbitException(read.lastLine().replace("everbit: ", "") + " (check --dir)");
        }
        int split = read.lines().indexOf(SEPARATOR);
        List<String> ledgerLines = split < 0 ? read.lines() : read.lines().subList(0, split);
        String pinned = split < 0 ? null : read.lines().subList(split + 1, read.lines().size()).stream()
                .filter(l -> !l.isBlank()).findFirst().orElse(null);
        Ledger ledger = Ledger.parse(ledgerLines);
        return new StatusReport(ledger.current(), ledger.previous(), pinned, ledger.entries(), ledger.unreadableLines().size());
    }
}
