package hudson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** API shim (compile-only, never packaged): real signatures of hudson.Proc. */
public abstract class Proc {
    protected Proc() {
    }

    public abstract void kill() throws IOException, InterruptedException;

    public abstract int join() throws IOException, InterruptedException;

    public abstract InputStream getStdout();

    public abstract InputStream getStderr();

    public abstract OutputStream getStdin();
}
