package kr.everbit.deploy.engine.flow;

/** A deploy that passed verification: what runs now, and the report that proved it. */
public record GuardedDeployResult(UpResult deployed, VerifyReport verify) {
}
