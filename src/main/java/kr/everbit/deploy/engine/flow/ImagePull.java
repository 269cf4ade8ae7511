package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.ShellResult;

/** Brings a release's image onto the VM through compose, without touching what runs. */
final class ImagePull {
    /** A pull that has not ended after this long is taken for a hung registry or dockerd. */
    static final int PULL_LIMIT_SECONDS = 1800;
    private final Vm vm;

    ImagePull(Vm vm) {
        this.vm = vm;
    }

    /** Pulls through a separate pin file, so that a failed pull changes nothing the running release uses. */
    void pull(String image, RegistryLogin login) {
        vm.require(vm.scripts().writePin(ComposeProject.NEXT_PIN_FILE, image));
        String registry = vm.project().image().registry();
        ShellResult pulled = vm.run(vm.scripts().pull(ComposeProject.NEXT_PIN_FILE, registry,
                login == null ? null : login.user(), login == null ? null : login.token()).withLimit(PULL_LIMIT_SECONDS));
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

    boolean present(String image) {
        return vm.run(vm.scripts().imagePresent(image)).ok();
    }

    /** The registry digest of the image, or null when the image was never pulled from a registry. */
    String digest(String image) {
        String repository = vm.project().image().repository() + "@";
        return vm.run(vm.scripts().digest(image)).lines().stream()
                .filter(l -> l.startsWith(repository))
                .map(l -> l.substring(repository.length()))
                .findFirst().orElse(null);
    }
}
