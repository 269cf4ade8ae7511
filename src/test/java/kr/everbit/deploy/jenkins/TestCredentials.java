package kr.everbit.deploy.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.util.Secret;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** A credential store in memory with the four kinds of credentials the steps take; records what was used. */
final class TestCredentials implements CredentialStore {
    private final Map<String, StandardCredentials> byId = new LinkedHashMap<>();
    final List<String> used = new ArrayList<>();

    TestCredentials sshKey(String id, String username, String pem, String passphrase) {
        byId.put(id, new SshKey(id, username, pem, passphrase));
        return this;
    }

    TestCredentials usernamePassword(String id, String username, String password) {
        byId.put(id, new UsernamePassword(id, username, password));
        return this;
    }

    TestCredentials secretText(String id, String text) {
        byId.put(id, new SecretText(id, text));
        return this;
    }

    TestCredentials secretFile(String id, String content) {
        byId.put(id, new SecretFile(id, content));
        return this;
    }

    @Override
    public StandardCredentials find(String id) {
        return byId.get(id);
    }

    @Override
    public void used(StandardCredentials credentials) {
        used.add(credentials.getId());
    }

    private record SshKey(String id, String username, String pem, String passphrase) implements SSHUserPrivateKey {
        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getUsername() {
            return username;
        }

        @Override
        public Secret getPassphrase() {
            return passphrase == null ? null : Secret.fromString(passphrase);
        }

        @Override
        public List<String> getPrivateKeys() {
            return List.of(pem);
        }
    }

    private record UsernamePassword(String id, String username, String password)
            implements StandardUsernamePasswordCredentials {
        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getUsername() {
            return username;
        }

        @Override
        public Secret getPassword() {
            return Secret.fromString(password);
        }
    }

    private record SecretText(String id, String text) implements StringCredentials {
        @Override
        public String getId() {
            return id;
        }

        @Override
        public Secret getSecret() {
            return Secret.fromString(text);
        }
    }

    private record SecretFile(String id, String content) implements FileCredentials {
        @Override
        public String getId() {
            return id;
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
