package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.flow.Rollback;

/** Checks of what a step cannot do without, made before any process starts or any connection is made. */
final class Required {
    private Required() {
    }

    /** A setting given neither to the step nor in the global configuration. */
    static String value(String parameter, String value) throws AbortException {
        if (value == null) {
            throw new AbortException(Texts.get("setting.missing", parameter));
        }
        return value;
    }

    /** The release to build, push or deploy: a git SHA, never a moving tag such as latest. */
    static Release release(String sha) throws AbortException {
        if (sha == null) {
            throw new AbortException(Texts.get("sha.missing"));
        }
        if (!Release.isValid(sha)) {
            throw new AbortException(Texts.get("sha.invalid", Printable.of(sha)));
        }
        return Release.of(sha);
    }

    /** What to roll back to: {@code previous} or a git SHA. */
    static String rollbackTarget(String sha) throws AbortException {
        if (Rollback.PREVIOUS.equals(sha)) {
            return sha;
        }
        return release(sha).sha();
    }
}
