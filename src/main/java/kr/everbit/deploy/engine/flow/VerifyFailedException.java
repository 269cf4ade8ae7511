package kr.everbit.deploy.engine.flow;

import java.util.List;
import kr.everbit.deploy.engine.EverbitException;

/**
 * A deploy whose release failed verification and could not be put right (exit 1): the first release, or a
 * rollback that failed too. Carries the verify reports so that a door can print their tables.
 */
public class VerifyFailedException extends EverbitException {
    private final transient List<VerifyReport> reports;

    public VerifyFailedException(String message, List<VerifyReport> reports) {
        this(message, 1, reports);
    }

    protected VerifyFailedException(String message, int exitCode, List<VerifyReport> reports) {
        super(message, exitCode, null);
        this.reports = List.copyOf(reports);
    }

    /** The verify reports in the order they were made: the failed release's, then the restored release's. */
    public List<VerifyReport> reports() {
        return reports;
    }
}
