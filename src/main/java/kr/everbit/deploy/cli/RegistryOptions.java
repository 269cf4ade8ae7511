package kr.everbit.deploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.RegistryLogin;
import picocli.CommandLine.Option;

/** The registry login. The token is read from a file or stdin: no option takes a secret as its value. */
final class RegistryOptions {
    @Option(names = "--registry-user", paramLabel = "USER", description = "Registry user (GHCR: the GitHub user).")
    String user;

    @Option(names = "--registry-token-file", paramLabel = "FILE", description = "File holding the registry token.")
    String tokenFile;

    @Option(names = "--registry-token-stdin", description = "Read the registry token from stdin.")
    boolean tokenStdin;

    /**
     * The login, or null when no user is given; reads the token only once the other input is known to be good, and
     * hands it to the command's masker at once, so that no output of any command (push, up, deploy, rollback) can
     * show it, whatever prints it (a VM's answer, an error, a dry run).
     */
    RegistryLogin login(InputStream stdin, Context ctx) {
        if (user == null) {
            if (tokenFile != null || tokenStdin) {
                throw new InvalidInputException("--registry-user is required with a registry token");
            }
            return null;
        }
        if ((tokenFile == null) == !tokenStdin) {
            throw new InvalidInputException("give exactly one of --registry-token-file FILE and --registry-token-stdin");
        }
        Secret token = tokenStdin ? fromStdin(stdin) : fromFile(ctx.progress);
        ctx.masker.add(token);
        return new RegistryLogin(user, token);
    }

    private Secret fromFile(Progress progress) {
        Path path = LocalFiles.requireReadable("--registry-token-file", tokenFile);
        if (readableByOthers(path)) {
            progress.warn(tokenFile + " is readable by other users: chmod 600 it");
        }
        try {
            return secret(Files.readString(path, StandardCharsets.UTF_8), "--registry-token-file " + tokenFile);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read --registry-token-file " + tokenFile + ": " + e.getMessage());
        }
    }

    private static boolean readableByOthers(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            return perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Secret fromStdin(InputStream stdin) {
        try {
            return secret(new String(stdin.readAllBytes(), StandardCharsets.UTF_8), "stdin");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the registry token from stdin: " + e.getMessage());
        }
    }

    private static Secret secret(String text, String where) {
        if (text.isBlank()) {
            throw new InvalidInputException("the registry token from " + where + " is empty");
        }
        return Secret.ofLine(text);
    }
}
