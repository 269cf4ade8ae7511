package kr.everbit.deploy.cli;

import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Release;
import picocli.CommandLine.Option;

/** The image a local command works on, REPO:SHA, and whether to only print the commands. */
final class LocalImageOptions {
    @Option(names = "--image", required = true, paramLabel = "REPO", description = "Image repository without tag.")
    String image;

    @Option(names = "--sha", required = true, description = "The release: the git commit SHA (7-40 lowercase hex).")
    String sha;

    @Option(names = "--dry-run", description = "Print the commands, run nothing.")
    boolean dryRun;

    ImageRef repository() {
        return ImageRef.of(image);
    }

    Release release() {
        return Release.of(sha);
    }
}
