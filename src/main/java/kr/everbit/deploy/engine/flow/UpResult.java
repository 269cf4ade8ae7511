package kr.everbit.deploy.engine.flow;

/** The releases before and after a deploy or rollback, and the digest of the image now running when known. */
public record UpResult(String previous, String current, String digest) {
}
