package hudson.model;

import java.io.PrintStream;

/** API shim (compile-only, never packaged): real signatures of hudson.model.TaskListener. */
public interface TaskListener {
    PrintStream getLogger();
}
