package kr.everbit.deploy.engine.flow;

/**
 * How to roll back: lock and health timeouts, who asks, why (recorded in the ledger), and a registry login used
 * only when the image is no longer on the VM.
 */
public record RollbackRequest(int lockTimeoutSeconds, int healthTimeoutSeconds, String actor, String reason,
                              RegistryLogin login) {
}
