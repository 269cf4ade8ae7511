package kr.everbit.deploy.engine.health;

/**
 * What an HTTP GET brought back, from here or from the VM.
 *
 * @param status              the HTTP status, or 0 when there was no answer
 * @param body                the body as text (empty when not read)
 * @param certificateDaysLeft whole days until the server certificate expires, for HTTPS from here; else null
 * @param failure             why there was no answer ("connection refused", a TLS reason), or null
 */
public record HttpAnswer(int status, String body, Long certificateDaysLeft, String failure) {
    public static HttpAnswer failed(String why) {
        return new HttpAnswer(0, "", null, why);
    }

    public boolean answered() {
        return failure == null;
    }

    public boolean is2xx() {
        return answered() && status >= 200 && status < 300;
    }
}
