package kr.everbit.deploy.engine.flow;

import java.util.List;
import java.util.Set;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.ledger.Ledger;

/**
 * Removes images of releases beyond the newest {@code retain}, never the current or the previous one. Only tags
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
        Set<String> keep = ledger.retained(retain);
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
