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

    /**
     * Adds the pull of {@code image} to {@code trip}, reported as {@code name}: through a separate pin file, so that a
     * failed pull changes nothing the running release uses; the steps after it in the trip run only once it succeeded.
     */
    Pulling add(RoundTrip trip, String name, String image, RegistryLogin login) {
        RemoteScript pin = vm.scripts().writePin(ComposeProject.NEXT_PIN_FILE, image);
        String registry = vm.project().image().registry();
        RemoteScript pull = vm.scripts().pull(ComposeProject.NEXT_PIN_FILE, registry,
                login == null ? null : login.user(), login == null ? null : login.token()).withLimit(PULL_LIMIT_SECONDS);
        // The pull runs only once its pin is written.
        return new Pulling(image, trip.add(BatchStep.required(pin)), trip.add(name, BatchStep.required(pull)), null);
    }

    /**
     * As {@link #add}, for a release that is no longer on the VM: by the digest the ledger recorded for it when it ran
     * (a tag can be pushed again with other content; a digest names the bytes), then given its tag again, since the pin
     * file and the ledger name releases by tag. Without a recorded digest (a ledger from before digests), by its tag.
     */
    Pulling addRecorded(RoundTrip trip, String name, String image, String sha, Ledger ledger, RegistryLogin login) {
        String digest = recordedDigest(ledger, sha);
        if (digest == null) {
            return add(trip, name, image, login);
        }
        String pinned = vm.project().image().repository() + "@" + digest;
        Pulling pulling = add(trip, name, pinned, login);
        return new Pulling(pinned, pulling.pin, pulling.pull, trip.add(BatchStep.required(vm.scripts().tag(pinned, image))));
    }

    /** A pull in a round trip: {@link #check} says, once the trip was sent, whether it failed and why. */
    final class Pulling {
        private final String image;
        private final RoundTrip.Answer pin;
        private final RoundTrip.Answer pull;
        private final RoundTrip.Answer tag;

        private Pulling(String image, RoundTrip.Answer pin, RoundTrip.Answer pull, RoundTrip.Answer tag) {
            this.image = image;
            this.pin = pin;
            this.pull = pull;
            this.tag = tag;
        }

        /** Fails, saying why in an operator's words, when the pull did not bring the image onto the VM. */
        void check() {
            vm.required(pin.script(), pin.get());
            ShellResult pulled = pull.get();
            if (!pulled.ok()) {
                throw failed(pulled);
            }
            if (tag != null) {
                vm.required(tag.script(), tag.get());
            }
        }

        private EverbitException failed(ShellResult pulled) {
            String registry = vm.project().image().registry();
            String said = vm.masker().mask(pulled.text()).toLowerCase();
            String why = vm.masker().mask(pulled.lastLine());
            if (said.contains("unauthorized") || said.contains("authentication required") || said.contains("denied")) {
                return new EverbitException("the registry " + registry + " refused the VM's login or pull of " + image + " ("
                        + why + "): check {registryUser} and the token (it needs read:packages for GHCR)");
            }
            if (said.contains("manifest unknown") || said.contains("not found") || said.contains("manifest for")) {
                return new EverbitException(image + " is not in the registry " + registry + " (" + why
                        + "): build and push it first (everbit-deploy build / push)");
            }
            return new EverbitException("pulling " + image + " on the VM failed: " + why);
        }
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

    /** A release's image on the VM, with the digest the registry gave it (null: none, it was never pulled). */
    record Kept(String digest) {
    }

    /**
     * Release {@code tag} as the answer to {@link kr.everbit.deploy.engine.remote.RemoteScripts#releaseImages} lists
     * it, or null when the VM does not have it. The lines are the VM's: a digest that is not one is none.
     */
    static Kept kept(ShellResult images, String tag) {
        return images.lines().stream()
                .map(l -> l.strip().split(" +"))
                .filter(f -> f.length == 2 && f[0].equals(tag))
                .map(f -> new Kept(DIGEST.matcher(f[1]).matches() ? f[1] : null))
                .reduce((a, b) -> a.digest() != null ? a : b)
                .orElse(null);
    }

    /**
     * The registry digest of the image, from the answer to {@link kr.everbit.deploy.engine.remote.RemoteScripts#digest};
     * null when it was never pulled from a registry.
     */
    String digestIn(ShellResult read) {
        String repository = vm.project().image().repository() + "@";
        return read.lines().stream()
                .filter(l -> l.startsWith(repository))
                .map(l -> l.substring(repository.length()))
                .findFirst().orElse(null);
    }
}
