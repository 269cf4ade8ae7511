package kr.everbit.deploy.engine;

/** A failure the engine can explain to an operator; each door maps {@link #exitCode()} to its own terms. */
public class EverbitException extends RuntimeException {
    private final int exitCode;

    public EverbitException(String message) {
        this(message, 1, null);
    }

    public EverbitException(String message, Throwable cause) {
        this(message, 1, cause);
    }

    protected EverbitException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** 0 success, 1 failure, 2 invalid input (nothing contacted), 3 failed checks and rolled back. */
    public int exitCode() {
        return exitCode;
    }
}
