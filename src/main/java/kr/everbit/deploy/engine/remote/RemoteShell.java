package kr.everbit.deploy.engine.remote;

/** Runs scripts on the VM, all over one connection. */
public interface RemoteShell {
    /** Runs the script in a subshell of the session: its variables, {@code exit} and {@code set -e} stay inside it. */
    ShellResult run(RemoteScript script);
}
