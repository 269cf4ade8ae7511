package kr.everbit.deploy.engine.flow;

import java.util.List;

/**
 * The deployed release failed verification and the previous release was restored and passed the same checks
 * (exit 3): the service runs, but not the release that was asked for.
 */
public class RolledBackException extends VerifyFailedException {
    public static final int EXIT_CODE = 3;
    private final String failedSha;
    private final String runningSha;

    public RolledBackException(String message, String failedSha, String runningSha, List<VerifyReport> reports) {
        super(message, EXIT_CODE, reports);
        this.failedSha = failedSha;
        this.runningSha = runningSha;
    }

    public String failedSha() {
        return failedSha;
    }

    public String runningSha() {
        return runningSha;
    }
}
