package kr.everbit.deploy.engine.flow;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.proxy.ProxyRelease;
import kr.everbit.deploy.engine.proxy.ProxyScripts;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * Removes images of releases beyond the newest {@code retain}, never the current or the previous one, nor (proxy
 * mode) the live or the warm one. Only tags
 * the ledger knows as releases are touched: an image pulled ahead of its deploy, or another tool's, stays.
 */
final class ImagePrune {
    private final Vm vm;
    private final Progress progress;

    ImagePrune(Vm vm, Progress progress) {
        this.vm = vm;
        this.progress = progress;
    }

    void prune(int retain) {
        // What to keep (the ledger's releases, the live and the warm one) and what the VM has, in one round trip.
        RemoteScript readLedger = vm.scripts().readLedger();
        List<ShellResult> read = vm.runAll(List.of(BatchStep.any(readLedger), BatchStep.any(ProxyScripts.readReleases()),
                BatchStep.any(vm.scripts().listTags())));
        Ledger ledger = vm.ledger(vm.required(readLedger, read.get(0)));
        Set<String> keep = new HashSet<>(ledger.retained(retain));
        read.get(1).lines().stream().map(ProxyRelease::parse).filter(Objects::nonNull)
                .map(ProxyRelease::sha).forEach(keep::add);
        Set<String> known = ledger.knownReleases();
        String repository = vm.project().image().repository();
        List<String> remove = read.get(2).lines().stream()
                .map(String::strip)
                .filter(known::contains)
                .filter(tag -> !keep.contains(tag))
                .map(tag -> repository + ":" + tag)
                .toList();
        if (remove.isEmpty()) {
            progress.info("no old release images to remove (keeping " + keep.size() + ")");
            return;
        }
        vm.run(vm.scripts().removeImages(remove));
    }
}
