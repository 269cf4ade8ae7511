package hudson.slaves;

import hudson.FilePath;

/** API shim (compile-only, never packaged): real signatures of hudson.slaves.WorkspaceList. */
public class WorkspaceList {
    /** Like the real one: the sibling {@code WORKSPACE@tmp} (the real separator is configurable, "@" by default). */
    public static FilePath tempDir(FilePath ws) {
        return ws.sibling(ws.getName() + "@tmp");
    }
}
