package kr.everbit.deploy.engine.flow;

import java.util.List;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.ShellResult;

/** Brings a release's image onto the VM through compose, without touching what runs. */
final class ImagePull {
    /** A pull that has not ended after this long is taken for a hung registry or dockerd. */
    static final int PULL_LIMIT_SECONDS = 1800;
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private final Vm vm;

    ImagePull(Vm vm) {
        this.vm = vm;
    }

    /** Pulls through a separate pin file, so that a failed pull changes nothing the running release uses. */
    void pull(String image, RegistryLogin login) {
        RemoteScript pin = vm.scripts().writePin(ComposeProject.NEXT_PIN_FILE, image);
        String registry = vm.project().image().registry();
        RemoteScript pull = vm.scripts().pull(ComposeProject.NEXT_PIN_FILE, registry,
                login == null ? null : login.user(), login == null ? null : login.token()).withLimit(PULL_LIMIT_SECONDS);
        // One round trip: the pull runs only once its pin is written.
        List<ShellResult> done = vm.runAll(List.of(BatchStep.required(pin), BatchStep.any(pull)));
        vm.required(pin, done.get(0));
        ShellResult pulled = done.get(1);
        if (pulled.ok()) {
            return;
        }
        String said = vm.masker().mask(pulled.text()).toLowerCase();
        String why = vm.masker().mask(pulled.lastLine());
        if (said.contains("unauthorized") || said.contains("authentication required") || said.contains("denied")) {
            throw new EverbitException("the registry " + registry + " refused the VM's login or pull of " + image + " (" + why
                    + "): check {registryUser} and the token (it needs read:packages for GHCR)");
        }
        if (said.contains("manifest unknown") || said.contains("not found") || said.contains("manifest for")) {
            throw new EverbitException(image + " is not in the registry " + registry + " (" + why
                    + "): build and push it first (everbit-deploy build / push)");
        }
        throw new EverbitException("pulling " + image + " on the VM failed: " + why);
    }

    /**
     * Pulls a release that is no longer on the VM by the digest the ledger recorded for it when it ran (a tag can be
     * pushed again with other content; a digest names the bytes), then gives it its tag again, since the pin file
     * and the ledger name releases by tag. Without a recorded digest (a ledger from before digests), by its tag.
     *
     * @return the digest it pulled by, or null when it pulled by tag
     */
    String pullRecorded(String image, String sha, Ledger ledger, RegistryLogin login) {
        String digest = recordedDigest(ledger, sha);
        if (digest == null) {
            pull(image, login);
            return null;
        }
        String pinned = vm.project().image().repository() + "@" + digest;
        pull(pinned, login);
        vm.require(vm.scripts().tag(pinned, image));
        return digest;
    }

    /** The digest of the newest successful run of {@code sha} in the ledger; a value that is no digest is ignored. */
    static String recordedDigest(Ledger ledger, String sha) {
        List<LedgerEntry> entries = ledger.entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            LedgerEntry e = entries.get(i);
            if (sha.equals(e.sha()) && e.succeeded() && e.digest() != null && DIGEST.matcher(e.digest()).matches()) {
                return e.digest();
            }
        }
        return null;
    }

    /** The registry digest of the image, or null when the image was never pulled from a registry. */
    String digest(String image) {
        return digestIn(vm.run(vm.scripts().digest(image)));
    }

    /** {@link #digest} from the answer to {@link kr.everbit.deploy.engine.remote.RemoteScripts#digest}. */
    String digestIn(ShellResult read) {
        String repository = vm.project().image().repository() + "@";
        return read.lines().stream()
                .filter(l -> l.startsWith(repository))
                .map(l -> l.substring(repository.length()))
                .findFirst().orElse(null);
    }
}
