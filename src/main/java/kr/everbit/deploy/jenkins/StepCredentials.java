package kr.everbit.deploy.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.RegistryLogin;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The secrets a step needs, taken from the credentials it names. Each error names the parameter and the ID and
 * says what was found and what was expected; every secret handed out is masked from then on.
 */
final class StepCredentials {
    private final CredentialStore store;
    private final Masker masker;

    StepCredentials(CredentialStore store, Masker masker) {
        this.store = store;
        this.masker = masker;
    }

    /** The private key of an "SSH Username with private key" credential, and its username. */
    SshKey sshKey(String parameter, String id) throws AbortException {
        SSHUserPrivateKey c = require(parameter, id, SSHUserPrivateKey.class, "kind.sshKey");
        if (c.getPassphrase() != null && !c.getPassphrase().getPlainText().isEmpty()) {
            throw new AbortException(Texts.get("credentials.passphrase", parameter, id));
        }
        List<String> keys = c.getPrivateKeys();
        String key = keys == null || keys.isEmpty() ? null : keys.get(0);
        return new SshKey(Settings.blankToNull(c.getUsername()), secret(parameter, id, key));
    }

    /**
     * A registry login from "Username with password" (GitHub user and token), or from "Secret text" (a token) with
     * {@code username} given beside it. A given username wins over the credential's own.
     */
    RegistryLogin registryLogin(String parameter, String id, String usernameParameter, String username)
            throws AbortException {
        StandardCredentials c = require(parameter, id, StandardCredentials.class, "kind.registry");
        if (c instanceof StandardUsernamePasswordCredentials up) {
            String user = username != null ? username : up.getUsername();
            return new RegistryLogin(user, secret(parameter, id, up.getPassword().getPlainText()));
        }
        if (c instanceof StringCredentials text) {
            if (username == null) {
                throw new AbortException(Texts.get("credentials.tokenNeedsUser", parameter, id, usernameParameter));
            }
            return new RegistryLogin(username, secret(parameter, id, text.getSecret().getPlainText()));
        }
        throw wrongType(parameter, id, c, "kind.registry");
    }

    /** known_hosts lines from a "Secret file" or a "Secret text" credential (not secret, but kept with the VM's key). */
    String knownHosts(String parameter, String id) throws AbortException {
        StandardCredentials c = require(parameter, id, StandardCredentials.class, "kind.knownHosts");
        if (c instanceof FileCredentials file) {
            try (InputStream in = file.getContent()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AbortException(Texts.get("credentials.unreadable", parameter, id, e.getMessage()));
            }
        }
        if (c instanceof StringCredentials text) {
            return text.getSecret().getPlainText();
        }
        throw wrongType(parameter, id, c, "kind.knownHosts");
    }

    private <C> C require(String parameter, String id, Class<C> type, String expectedKind) throws AbortException {
        StandardCredentials found = store.find(id);
        if (found == null) {
            throw new AbortException(Texts.get("credentials.missing", parameter, id));
        }
        if (!type.isInstance(found)) {
            throw wrongType(parameter, id, found, expectedKind);
        }
        store.used(found);
        return type.cast(found);
    }

    private static AbortException wrongType(String parameter, String id, StandardCredentials found, String expectedKind) {
        return new AbortException(Texts.get("credentials.wrongType", parameter, id, kindOf(found), Texts.get(expectedKind)));
    }

    /** How the credentials page names a kind of credential, with its article. */
    static String kindOf(StandardCredentials c) {
        if (c instanceof SSHUserPrivateKey) {
            return Texts.get("kind.sshKey");
        }
        if (c instanceof StandardUsernamePasswordCredentials) {
            return Texts.get("kind.usernamePassword");
        }
        if (c instanceof StringCredentials) {
            return Texts.get("kind.secretText");
        }
        if (c instanceof FileCredentials) {
            return Texts.get("kind.secretFile");
        }
        return Texts.get("kind.other", c.getClass().getSimpleName());
    }

    private Secret secret(String parameter, String id, String value) throws AbortException {
        if (value == null || value.isBlank()) {
            throw new AbortException(Texts.get("credentials.empty", parameter, id));
        }
        Secret secret = Secret.of(value);
        masker.add(secret);
        return secret;
    }

    /** An SSH private key (PEM or OpenSSH text) and the username stored with it, if any. */
    record SshKey(String username, Secret key) {
    }
}
