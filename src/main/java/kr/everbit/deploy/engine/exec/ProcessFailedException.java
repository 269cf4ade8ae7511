package kr.everbit.deploy.engine.exec;

import kr.everbit.deploy.engine.EverbitException;

/** A process could not be started, or was interrupted while the engine waited for it. */
public class ProcessFailedException extends EverbitException {
    public ProcessFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
