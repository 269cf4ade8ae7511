package kr.everbit.deploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import kr.everbit.deploy.engine.InvalidInputException;

/** Local paths given on the command line: {@code ~} expanded, checked before anything is contacted. */
final class LocalFiles {
    private LocalFiles() {
    }

    static Path path(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + value.substring(1));
        }
        return Path.of(value);
    }

    static Path requireReadable(String option, String value) {
        Path path = path(value).toAbsolutePath();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidInputException(option + " " + value + ": no such readable file");
        }
        return path;
    }

    static Path requireDirectory(String option, String value) {
        Path path = path(value).toAbsolutePath();
        if (!Files.isDirectory(path)) {
            throw new InvalidInputException(option + " " + value + ": no such directory");
        }
        return path;
    }
}
