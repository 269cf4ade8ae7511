package com.cloudbees.jenkins.plugins.sshcredentials;

import hudson.util.Secret;
import java.util.List;

/** API shim (compile-only, never packaged): real signatures of com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey. */
public interface SSHUserPrivateKey extends SSHUser {
    Secret getPassphrase();

    List<String> getPrivateKeys();
}
