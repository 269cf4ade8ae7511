package kr.everbit.deploy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RecordedCompose;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.ssh.SshTarget;
import picocli.CommandLine.Option;

/**
 * {@code verify}'s optional CONN and compose files: needed only for probes on the VM and the post-deploy report,
 * so none is required by itself (a --config file may supply them all, as for {@code deploy}). Without --compose,
 * the VM's record of the last release switch names the files.
 */
final class VerifyTarget {
    /** Verify reads containers through the compose files alone; the released service and image play no part. */
    private static final String ANY_SERVICE = "verify";
    private static final String ANY_IMAGE = "everbit/verify";

    @Option(names = "--host", description = "The VM, for --remote-url, --container, --prometheus-via-ssh and the report.")
    String host;

    @Option(names = "--port", defaultValue = "22", description = "SSH port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--user", description = "SSH user.")
    String user;

    @Option(names = "--identity", paramLabel = "KEYFILE", description = "Private key file; without it, ssh-agent.")
    String identity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file holding the VM's host key.")
    String knownHosts;

    @Option(names = "--dir", paramLabel = "REMOTE_DEPLOY_DIR", description = "The deploy directory on the VM.")
    String dir;

    @Option(names = "--compose", paramLabel = "FILE", split = ",",
            description = "Compose file relative to --dir, in order; without it, those of the last up, deploy or rollback there.")
    List<String> files = new ArrayList<>();

    @Option(names = "--service", hidden = true, description = "Accepted for a shared --config file; verify does not use it.")
    String service;

    @Option(names = "--image", hidden = true, description = "Accepted for a shared --config file; verify does not use it.")
    String image;

    Connection connection(String why) {
        require("--host", host, why);
        require("--user", user, why);
        require("--known-hosts", knownHosts, why);
        String identityFile = identity == null ? null : LocalFiles.requireReadable("--identity", identity).toString();
        return Connection.of(new SshTarget(host, port, user, identityFile,
                LocalFiles.requireReadable("--known-hosts", knownHosts).toString()));
    }

    /** The project on the VM: --compose, or else the compose files the last up, deploy or rollback recorded there. */
    Function<RemoteShell, ComposeProject> project(String why) {
        require("--dir", dir, why);
        if (files.isEmpty()) {
            return shell -> project(RecordedCompose.files(shell, dir));
        }
        ComposeProject given = project(files);
        return shell -> given;
    }

    /** For a dry run, which reads nothing from the VM: the files must be given. */
    ComposeProject givenProject(String why) {
        require("--dir", dir, why);
        if (files.isEmpty()) {
            throw new InvalidInputException("--compose is required for a dry run " + why
                    + " (a real run reads the files the last up, deploy or rollback recorded on the VM)");
        }
        return project(files);
    }

    private ComposeProject project(List<String> composeFiles) {
        return new ComposeProject(dir, composeFiles, ANY_SERVICE, ImageRef.of(ANY_IMAGE));
    }

    private static void require(String option, String value, String why) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(option + " is required " + why);
        }
    }
}
