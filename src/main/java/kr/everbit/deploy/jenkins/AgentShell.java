package kr.everbit.deploy.jenkins;

import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.Result;
import kr.everbit.deploy.engine.remote.RemoteLibrary;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * Runs the engine's probe scripts (curl or wget) on the build agent, so that verifyHealth's requests "from here"
 * leave from the agent like every other process of a step, not from the Jenkins controller. Each script runs in
 * its own {@code sh} after the VM side's library (the probes call its functions), with stderr merged into stdout as
 * in the VM session.
 */
final class AgentShell implements RemoteShell {
    private final Executor executor;

    AgentShell(Executor executor) {
        this.executor = executor;
    }

    @Override
    public ShellResult run(RemoteScript script) {
        Result result = executor.run(Command.of("sh", "-c", "exec 2>&1\n" + RemoteLibrary.text() + "\n" + script.body()), line -> { });
        return new ShellResult(result.exitCode(), result.stdout().lines().toList());
    }
}
