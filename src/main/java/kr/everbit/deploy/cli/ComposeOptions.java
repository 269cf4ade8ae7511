package kr.everbit.deploy.cli;

import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.remote.ComposeProject;
import picocli.CommandLine.Option;

/** COMPOSE: the operator's compose files in order, the service this tool releases, and its image repository. */
final class ComposeOptions {
    @Option(names = "--compose", required = true, paramLabel = "FILE", split = ",",
            description = "Compose file relative to --dir; repeat in the order of the by-hand command.")
    List<String> files;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "The service to release (Everbit: server).")
    String service;

    @Option(names = "--image", required = true, paramLabel = "REPO",
            description = "Image repository without tag (Everbit: ghcr.io/OWNER/server).")
    String image;

    ComposeProject project(String dir) {
        return new ComposeProject(dir, files, service, ImageRef.of(image));
    }
}
