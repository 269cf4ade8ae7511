package kr.everbit.deploy.engine.flow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxyRelease;
import kr.everbit.deploy.engine.proxy.ProxyScripts;
import kr.everbit.deploy.engine.remote.BatchStep;

/**
 * Removes images of releases beyond the newest {@code retain}, never the current or the previous one, nor (proxy
 * mode) the live or the warm one. Only tags
 * the ledger knows as releases are touched: an image pulled ahead of its deploy, or another tool's, stays.
 * What to keep and what the VM has are read with the switch ({@link #read}, after it in the same round trip); the
 * removal goes with the switch's record ({@link #addRemoval}), so retention costs no round trip of its own.
 */
final class ImagePrune {
    private final Vm vm;
    private final Progress progress;
    private final RoundTrip.Answer ledger;
    private final RoundTrip.Answer releases;
    private final RoundTrip.Answer tags;

    private ImagePrune(Vm vm, Progress progress, RoundTrip trip) {
        this.vm = vm;
        this.progress = progress;
        this.ledger = trip.add(BatchStep.any(vm.scripts().readLedger()));
        this.releases = trip.add(BatchStep.any(ProxyScripts.readReleases()));
        this.tags = trip.add(BatchStep.any(vm.scripts().listTags()));
    }

    /** Adds to {@code trip} the reads retention needs: the ledger, the live and the warm release, the VM's tags. */
    static ImagePrune read(Vm vm, Progress progress, RoundTrip trip) {
        return new ImagePrune(vm, progress, trip);
    }

    /**
     * Adds to {@code trip} the removal of what is beyond {@code retain} once {@code recorded}, the line the same trip
     * appends to the ledger before it, is there (nothing when nothing is).
     */
    void addRemoval(RoundTrip trip, int retain, LedgerEntry recorded) {
        List<String> lines = new ArrayList<>(vm.required(ledger.script(), ledger.get()).lines());
        lines.add(Ledger.toJson(recorded));
        Ledger after = Ledger.parse(lines, vm.project().image());
        Set<String> keep = new HashSet<>(after.retained(retain));
        releases.get().lines().stream().map(ProxyRelease::parse).filter(Objects::nonNull)
                .map(ProxyRelease::sha).forEach(keep::add);
        Set<String> known = after.knownReleases();
        String repository = vm.project().image().repository();
        List<String> remove = tags.get().lines().stream()
                .map(String::strip)
                .filter(known::contains)
                .filter(tag -> !keep.contains(tag))
                .map(tag -> repository + ":" + tag)
                .toList();
        if (remove.isEmpty()) {
            progress.info("no old release images to remove (keeping " + keep.size() + ")");
            return;
        }
        trip.add("prune releases beyond " + retain, BatchStep.any(vm.scripts().removeImages(remove)));
    }
}
