package kr.everbit.deploy.cli;

import picocli.CommandLine.Option;

/**
 * The VM's own read-only registry token (up, deploy, rollback), so that the token that can push stays where the
 * image is built. Read from a file or stdin, never an option's value; the user is --registry-user.
 */
final class PullTokenOptions {
    @Option(names = "--pull-token-file", paramLabel = "FILE",
            description = "File holding the VM's read-only registry token (GHCR: read:packages); the VM pulls with it"
                    + " instead of the registry token, which then stays off the VM.")
    String file;

    @Option(names = "--pull-token-stdin", description = "Read the VM's read-only registry token from stdin.")
    boolean stdin;
}
