package kr.everbit.deploy.engine.remote;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * The compose files of the last release switch, kept on the VM ({@code .everbit/compose-files}, one per line, in
 * order) so that a command that only reads the project ({@code verify}) needs no {@code --compose} of its own.
 * Every switch writes them under the lock; the files read back are checked like any {@code --compose}.
 */
public final class RecordedCompose {
    public static final String FILE = ComposeProject.STATE_DIR + "/compose-files";

    private RecordedCompose() {
    }

    /** Writes the session's files ({@code everbit_record_files}), atomically; runs in the deploy dir of the open project. */
    public static RemoteScript record(ComposeProject project) {
        return RemoteScript.quiet("record the compose files", "everbit_record_files");
    }

    /** Prints the recorded files of deploy dir {@code dir}; runs before the project is open. */
    public static RemoteScript read(String dir) {
        ComposeProject.checkDir(dir);
        return RemoteScript.quiet("read the recorded compose files", Shell.call("everbit_recorded_files", dir));
    }

    /** The files recorded in {@code dir}, read over {@code shell}; fails saying why when there are none. */
    public static List<String> files(RemoteShell shell, String dir) {
        ShellResult result = shell.run(read(dir));
        if (!result.ok()) {
            throw new EverbitException(result.lastLine().replace("everbit: ", ""));
        }
        List<String> files = new ArrayList<>();
        int number = 0;
        for (String line : result.lines()) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                ComposeProject.checkFiles(List.of(line));
            } catch (InvalidInputException e) {
                throw new EverbitException(dir + "/" + FILE + " line " + number + " is not a compose file the tool records ('"
                        + Printable.of(line) + "'): give " + Setting.COMPOSE.ref() + ", the files of the deploy, in order");
            }
            files.add(line);
        }
        if (files.isEmpty()) {
            throw new EverbitException(dir + "/" + FILE + " names no compose file: give " + Setting.COMPOSE.ref());
        }
        return files;
    }
}
