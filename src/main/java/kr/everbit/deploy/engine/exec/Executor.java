package kr.everbit.deploy.engine.exec;

import java.util.function.Consumer;

/**
 * Runs processes where the work belongs: on this machine for the CLI, on the build agent for Jenkins. The engine
 * starts every process through this one interface (docker, ssh, ssh-agent, mktemp).
 */
public interface Executor {
    /** Runs to completion; every line of stdout and stderr also goes to {@code lines} as it arrives. */
    Result run(Command command, Consumer<String> lines);

    /** Starts a process whose streams the caller drives (the long-lived SSH session). */
    RunningProcess start(Command command);
}
