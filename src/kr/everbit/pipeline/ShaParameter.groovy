package kr.everbit.pipeline

/**
 * The SHA a person types into the Rollback job. It is checked before any step runs, so a typo or an injection
 * attempt ("abc;rm -rf /") never reaches the VM. Plain loops, no closures: safe under Jenkins' CPS transform.
 */
class ShaParameter implements Serializable {
    private static final long serialVersionUID = 1L

    static final String PREVIOUS = 'previous'
    private static final String SHA = '[0-9a-f]{7,40}'
    private static final int SHOWN = 60

    /** The value to pass on: trimmed (a pasted SHA often carries a newline). Call only after problem() is null. */
    static String normalize(Object raw) {
        raw == null ? '' : raw.toString().trim()
    }

    /** Null when the value is 'previous' or 7 to 40 lowercase hex characters; otherwise what is wrong and what to type. */
    static String problem(Object raw) {
        String value = normalize(raw)
        if (value == PREVIOUS || value.matches(SHA)) {
            return null
        }
        String why = value.isEmpty() ? 'is empty' : "'" + printable(value) + "' is not a commit SHA"
        return 'SHA parameter ' + why + ": type 7 to 40 lowercase hex characters (e.g. 3f9c2ab) or 'previous'" +
                ' (the release before the current one). Nothing was run.'
    }

    /** Keeps the error message one short line, whatever was typed. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder()
        for (int i = 0; i < value.length() && i < SHOWN; i++) {
            char c = value.charAt(i)
            out.append(c < (char) 0x20 || c == (char) 0x7f ? '?' : c)
        }
        return value.length() > SHOWN ? out.toString() + '...' : out.toString()
    }
}
