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
        Secret token = tokenStdin ? fromStdin(stdin) : fromFile("--registry-token-file", tokenFile, ctx.progress);
        ctx.masker.add(token);
        return new RegistryLogin(user, token);
    }

    /**
     * The VM's login (up, deploy, rollback): with a pull token ({@code pull}), the registry user and that read-only
     * token, and the registry token is not even read, so it never reaches the VM; else {@link #login}.
     */
    RegistryLogin vmLogin(PullTokenOptions pull, InputStream stdin, Context ctx) {
        if (pull.file == null && !pull.stdin) {
            return login(stdin, ctx);
        }
        if (pull.file != null && pull.stdin) {
            throw new InvalidInputException("give one of --pull-token-file FILE and --pull-token-stdin");
        }
        if (user == null) {
            throw new InvalidInputException("--registry-user is required with a pull token");
        }
        if (pull.stdin && tokenStdin) {
            throw new InvalidInputException("stdin holds one token: give the pull token with --pull-token-file FILE");
        }
        Secret token = pull.stdin ? fromStdin(stdin) : fromFile("--pull-token-file", pull.file, ctx.progress);
        ctx.masker.add(token);
        return new RegistryLogin(user, token);
    }

    private static Secret fromFile(String option, String file, Progress progress) {
        Path path = LocalFiles.requireReadable(option, file);
        if (readableByOthers(path)) {
            progress.warn(file + " is readable by other users: chmod 600 it");
        }
        try {
            return secret(Files.readString(path, StandardCharsets.UTF_8), option + " " + file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + option + " " + file + ": " + e.getMessage());
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
