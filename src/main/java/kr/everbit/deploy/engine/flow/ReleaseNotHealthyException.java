package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.EverbitException;

/**
 * A release's container did not become running and healthy after {@code up} (exit 1). Says which image, if any,
 * was started again in its place, so that a guarded deploy can verify that one and report a rollback.
 */
public class ReleaseNotHealthyException extends EverbitException {
    private final String image;
    private final String state;
    private final String restoredImage;
    private final boolean restoreFailed;

    public ReleaseNotHealthyException(String message, String image, String state, String restoredImage, boolean restoreFailed) {
        super(message);
        this.image = image;
        this.state = state;
        this.restoredImage = restoredImage;
        this.restoreFailed = restoreFailed;
    }

    public String image() {
        return image;
    }

    /** The container state it was left in ("state=exited health=none"). */
    public String state() {
        return state;
    }

    /** The image that runs again in its place, or null when none was (no earlier image, or restoring failed). */
    public String restoredImage() {
        return restoredImage;
    }

    public boolean restoreFailed() {
        return restoreFailed;
    }
}
