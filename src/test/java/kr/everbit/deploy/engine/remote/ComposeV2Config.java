package kr.everbit.deploy.engine.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A docker config folder (for {@code DOCKER_CONFIG}) whose {@code cli-plugins} holds compose v2's plugin: the VM side
 * picks v2 from the plugin's file, and a test's double of docker then answers {@code docker compose ...} as v2 would.
 * The file itself is a double: it is never run.
 */
public final class ComposeV2Config {
    private ComposeV2Config() {
    }

    /** Creates the folder under {@code tmp} and returns it. */
    public static Path in(Path tmp) throws IOException {
        Path plugin = Files.writeString(Files.createDirectories(tmp.resolve("docker-v2/cli-plugins")).resolve("docker-compose"),
                "#!/bin/sh\necho 'a double of the compose plugin: docker answers for it' >&2\nexit 1\n");
        plugin.toFile().setExecutable(true);
        return plugin.getParent().getParent();
    }
}
