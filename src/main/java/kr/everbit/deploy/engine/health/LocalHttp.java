package kr.everbit.deploy.engine.health;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import kr.everbit.deploy.engine.EverbitException;

/**
 * HTTP GET from where the tool runs, with the JDK client: TLS verified (host name included), redirects not
 * followed (a 3xx is an answer), and the server certificate's expiry read from the session.
 */
public final class LocalHttp implements HttpGet {
    private final HttpClient client;
    private final Duration timeout;

    public LocalHttp(javax.net.ssl.SSLContext tls, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public HttpAnswer get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("User-Agent", "everbit-deploy-verify").build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpAnswer(response.statusCode(), response.body(), daysLeft(response.sslSession().orElse(null)), null);
        } catch (SSLException e) {
            return HttpAnswer.failed(TlsFailure.explain(e, uri.getHost()));
        } catch (HttpConnectTimeoutException e) {
            return HttpAnswer.failed("no connection to " + authority(uri) + " within " + timeout.toSeconds() + "s");
        } catch (HttpTimeoutException e) {
            return HttpAnswer.failed("no answer from " + authority(uri) + " within " + timeout.toSeconds() + "s");
        } catch (ConnectException e) {
            return HttpAnswer.failed("connection to " + authority(uri) + " refused or failed"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        } catch (UnknownHostException e) {
            return HttpAnswer.failed("unknown host " + uri.getHost());
        } catch (IOException e) {
            // The JDK client wraps handshake failures in a plain IOException on some paths.
            if (e.getCause() instanceof SSLException) {
                return HttpAnswer.failed(TlsFailure.explain(e.getCause(), uri.getHost()));
            }
            return HttpAnswer.failed("GET " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EverbitException("interrupted while checking " + uri);
        }
    }

    private static Long daysLeft(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                return Duration.between(Instant.now(), leaf.getNotAfter().toInstant()).toDays();
            }
        } catch (SSLPeerUnverifiedException e) {
            // No peer certificate: nothing to report.
        }
        return null;
    }

    private static String authority(URI uri) {
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
