package kr.everbit.deploy.engine.remote;

/** A shell on the VM that lives for a whole command: its working directory, functions and lock persist. */
public interface RemoteSession extends RemoteShell, AutoCloseable {
    /** Runs the script in the session's shell itself (it must not call {@code exit}). */
    ShellResult runInSession(RemoteScript script);

    /** Ends the connection at once (Ctrl-C): the VM's shell finishes its current command, then ends. */
    void abort();

    /** Ends the session; the remote shell ends and its deploy lock is released. */
    @Override
    void close();
}
