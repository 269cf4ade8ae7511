package kr.everbit.deploy.engine.exec;

import java.io.InputStream;
import java.io.OutputStream;

/** A started process whose stdin, stdout and stderr the caller reads and writes. */
public interface RunningProcess {
    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** Waits for the process to end and returns its exit code. */
    int waitFor();

    /** Ends the process (and with it, for ssh, the remote session and the locks it holds). */
    void kill();
}
