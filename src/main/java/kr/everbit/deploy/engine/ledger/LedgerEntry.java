package kr.everbit.deploy.engine.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the release ledger on the VM ({@code .everbit/releases.jsonl}): what was started, how it ended.
 *
 * @param action  {@code deploy}, {@code rollback}, or {@code verify} (a release that started but failed its checks)
 * @param result  {@code success} or {@code failed}
 * @param from    the SHA that was running before, when known
 * @param at      when it finished (ISO-8601, UTC)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerEntry(String sha, String image, String digest, String action, String result, String from,
                          String startedAt, String at, String actor, String reason) {
    public static final String DEPLOY = "deploy";
    public static final String ROLLBACK = "rollback";
    public static final String VERIFY = "verify";
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";

    public boolean succeeded() {
        return SUCCESS.equals(result);
    }

    /** A release that was started but then failed verification: not a target for "previous" any more. */
    public boolean failedVerification() {
        return VERIFY.equals(action) && FAILED.equals(result);
    }
}
