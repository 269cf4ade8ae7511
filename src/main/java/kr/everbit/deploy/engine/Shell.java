package kr.everbit.deploy.engine;

/** POSIX shell quoting: every value that reaches a shell, on this machine or on the VM, goes through here. */
public final class Shell {
    private Shell() {
    }

    /** Single-quotes a value so that a POSIX shell reads it back as exactly one word, whatever it contains. */
    public static String quote(String value) {
        if (!value.isEmpty() && value.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
