package kr.everbit.deploy.engine;

import java.util.regex.Pattern;

/** A release is a git commit SHA: 7 to 40 lowercase hex characters, never a moving tag such as {@code latest}. */
public record Release(String sha) {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");

    public Release {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw new InvalidInputException("release '" + Printable.of(sha)
                    + "' is not a git SHA: use 7 to 40 lowercase hex characters (e.g. the output of git rev-parse HEAD)");
        }
    }

    public static Release of(String sha) {
        return new Release(sha);
    }

    public static boolean isValid(String sha) {
        return sha != null && SHA.matcher(sha).matches();
    }

    @Override
    public String toString() {
        return sha;
    }
}
