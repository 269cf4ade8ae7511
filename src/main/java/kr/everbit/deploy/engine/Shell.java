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

    /**
     * A call of a function of the VM side's library ({@code engine/remote/everbit-session.sh} and its kin) with
     * {@code args}, each quoted once, here: the only shell the Java side writes besides the library's own text.
     */
    public static String call(String function, String... args) {
        StringBuilder line = new StringBuilder(function);
        for (String arg : args) {
            line.append(' ').append(quote(arg));
        }
        return line.toString();
    }

    /** As {@link #call(String, String...)}, with the arguments as a list. */
    public static String call(String function, java.util.List<String> args) {
        return call(function, args.toArray(String[]::new));
    }
}
