package kr.everbit.deploy.engine;

/** Renders untrusted input for an error message: control characters escaped, length bounded. */
public final class Printable {
    private static final int MAX = 80;

    private Printable() {
    }

    public static String of(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (out.length() >= MAX) {
                return out.append("...").toString();
            }
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
