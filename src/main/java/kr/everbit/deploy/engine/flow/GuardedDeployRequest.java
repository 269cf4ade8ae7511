package kr.everbit.deploy.engine.flow;

/** A deploy that is verified and rolled back automatically when it fails its checks. */
public record GuardedDeployRequest(UpRequest up, VerifyOptions verify, OnFirstFailure onFirstFailure) {
    public GuardedDeployRequest {
        onFirstFailure = onFirstFailure == null ? OnFirstFailure.KEEP : onFirstFailure;
    }
}
