package kr.everbit.deploy.engine.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import kr.everbit.deploy.engine.InvalidInputException;

/**
 * Which certificate authorities HTTPS checks trust: the JDK's, or only those of a PEM file (as {@code curl
 * --cacert} does), for a test CA or a private one. Verification itself is never switched off.
 */
public final class TlsTrust {
    private TlsTrust() {
    }

    public static SSLContext system() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no default TLS context", e);
        }
    }

    /** Trusts exactly the certificates in {@code pemFile} (one or more PEM blocks). */
    public static SSLContext fromPemFile(Path pemFile) {
        Collection<? extends Certificate> certificates = read(pemFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context from " + pemFile, e);
        }
    }

    private static Collection<? extends Certificate> read(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new InvalidInputException("{caFile} " + pemFile + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new InvalidInputException("{caFile} " + pemFile + " cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException("{caFile} " + pemFile + " is not a PEM certificate file: " + e.getMessage());
        }
    }
}
