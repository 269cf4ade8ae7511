package kr.everbit.deploy.engine.flow;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.proxy.ProxyRelease;
import kr.everbit.deploy.engine.proxy.ProxyScripts;

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
        Ledger ledger = vm.ledger();
        Set<String> keep = new HashSet<>(ledger.retained(retain));
        vm.run(ProxyScripts.readReleases()).lines().stream().map(ProxyRelease::parse).filter(Objects::nonNull)
                .map(ProxyRelease::sha).forEach(keep::add);
        Set<String> known = ledger.knownReleases();
        String repository = vm.project().image().repository();
        List<String> remove = vm.run(vm.scripts().listTags()).lines().stream()
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
