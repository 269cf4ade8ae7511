package kr.everbit.deploy.engine.flow;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One probe's line of a verify report.
 *
 * @param elapsedMillis time from the start of verify to the attempt that passed; for a probe that did not pass,
 *                      to its last attempt
 * @param observed      what the last attempt saw
 * @param warning       a warning to act on even when it passed (certificate expiry), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeRow(String name, boolean ok, int attempts, long elapsedMillis, String observed, String warning) {
}
