package kr.everbit.deploy.engine.remote;

/**
 * One script of a batch that a session sends in one round trip ({@link RemoteSession#runAll}).
 *
 * @param script         the script
 * @param inSession      run in the session's shell itself ({@link RemoteSession#runInSession}), else in a subshell
 * @param stopsOnFailure when it fails, the scripts after it in the batch do not run: they depended on it
 */
public record BatchStep(RemoteScript script, boolean inSession, boolean stopsOnFailure) {
    /** A script in a subshell whose failure skips the rest of the batch. */
    public static BatchStep required(RemoteScript script) {
        return new BatchStep(script, false, true);
    }

    /**
     * A script in the session's shell whose failure skips the rest of the batch: what it sets stays for the scripts
     * after it. It must not call {@code exit}.
     */
    public static BatchStep requiredInSession(RemoteScript script) {
        return new BatchStep(script, true, true);
    }

    /**
     * A script in the session's shell whose failure the caller reads and decides on; the batch goes on. What it sets
     * stays for the scripts after it. It must not call {@code exit}.
     */
    public static BatchStep anyInSession(RemoteScript script) {
        return new BatchStep(script, true, false);
    }

    /** A script in a subshell whose failure the caller reads and decides on; the batch goes on. */
    public static BatchStep any(RemoteScript script) {
        return new BatchStep(script, false, false);
    }
}
