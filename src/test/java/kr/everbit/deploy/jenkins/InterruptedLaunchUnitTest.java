package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.Map;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.ProcessFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A launch cut short by an abort says so, never that the program may be missing. */
class InterruptedLaunchUnitTest {
    @TempDir
    Path workspace;

    /**
     * Test double of an agent's launcher whose channel write is interrupted: NIO closes the channel with
     * ClosedByInterruptException and keeps the thread's interrupt flag; the launcher reports an IOException.
     */
    private static final class InterruptedChannelLauncher extends Launcher {
        InterruptedChannelLauncher() {
            super(new TestListener(), null);
        }

        @Override
        public Proc launch(ProcStarter starter) throws IOException {
            Thread.currentThread().interrupt();
            throw new IOException("failed to send the launch of " + starter.cmds().get(0), new ClosedByInterruptException());
        }

        @Override
        public void kill(Map<String, String> modelEnvVars) {
            // It never started a process.
        }
    }

    /** Test double of a launcher that cannot find the program, as LocalLauncher reports it. */
    private static final class MissingProgramLauncher extends Launcher {
        MissingProgramLauncher() {
            super(new TestListener(), null);
        }

        @Override
        public Proc launch(ProcStarter starter) throws IOException {
            throw new IOException("Cannot run program \"" + starter.cmds().get(0) + "\": error=2, No such file or directory");
        }

        @Override
        public void kill(Map<String, String> modelEnvVars) {
            // It never started a process.
        }
    }

    @Test
    void anInterruptedLaunchIsReportedAsInterrupted() {
        try {
            assertThatThrownBy(() -> new LauncherExecutor(new InterruptedChannelLauncher(),
                    new FilePath(workspace.toFile()), Map.of()).run(Command.of("docker", "version"), line -> { }))
                    .isInstanceOf(ProcessFailedException.class)
                    .hasMessage("interrupted before 'docker' started on the agent")
                    .hasMessageNotContaining("installed");
            assertThat(Thread.currentThread().isInterrupted()).as("the interruption is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aMissingProgramIsStillReportedAsMissing() {
        assertThatThrownBy(() -> new LauncherExecutor(new MissingProgramLauncher(), new FilePath(workspace.toFile()),
                Map.of()).run(Command.of("docker", "version"), line -> { }))
                .hasMessageStartingWith("cannot start 'docker' on the agent: Cannot run program")
                .hasMessageEndingWith("(is it installed and on the agent's PATH?)");
    }
}
