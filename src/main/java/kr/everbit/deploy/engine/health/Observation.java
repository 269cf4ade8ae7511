package kr.everbit.deploy.engine.health;

/**
 * What one attempt of a probe saw.
 *
 * @param ok       whether the probe passes on this observation
 * @param observed the evidence, short: "HTTP 200", "running, healthy", "query 'q' = 0.01 (max 0.05)"
 * @param warning  something to tell the operator even when it passes (a certificate close to expiry), or null
 */
public record Observation(boolean ok, String observed, String warning) {
    public static Observation pass(String observed) {
        return new Observation(true, observed, null);
    }

    public static Observation fail(String observed) {
        return new Observation(false, observed, null);
    }

    public Observation withWarning(String text) {
        return new Observation(ok, observed, text);
    }
}
