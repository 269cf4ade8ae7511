package kr.everbit.deploy.engine;

/** A secret value (token, key, password) that never prints itself; only {@link #reveal()} hands it out. */
public final class Secret {
    public static final String MASK = "****";
    private final String value;

    private Secret(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("a secret must not be empty");
        }
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** A token read from a file or stdin: the trailing newline of {@code echo token > file} is not part of it. */
    public static Secret ofLine(String text) {
        return new Secret(text == null ? null : text.strip());
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
