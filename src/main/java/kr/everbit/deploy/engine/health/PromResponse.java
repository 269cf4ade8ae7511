package kr.everbit.deploy.engine.health;

import java.util.List;

/**
 * A Prometheus HTTP API answer to an instant query.
 *
 * @param success    whether {@code status} was {@code success}
 * @param resultType vector, scalar, matrix or string (null on error)
 * @param samples    every numeric value of the result; NaN values are kept out (they carry no measurement)
 * @param error      {@code errorType: error} when the query failed, else null
 */
public record PromResponse(boolean success, String resultType, List<PromSample> samples, String error) {
    public PromResponse {
        samples = List.copyOf(samples);
    }

    public static PromResponse failed(String error) {
        return new PromResponse(false, null, List.of(), error);
    }

    public boolean noData() {
        return success && samples.isEmpty();
    }
}
