package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.ledger.Ledger;

/** Reads what runs and what ran, without taking the lock. */
public final class Status {
    public StatusReport run(Vm vm) {
        Ledger ledger = vm.ledger();
        return new StatusReport(ledger.current(), ledger.previous(), vm.pinnedImage(), ledger.entries(),
                ledger.unreadableLines().size());
    }
}
