package com.cloudbees.jenkins.plugins.sshcredentials;

import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;

/** API shim (compile-only, never packaged): com.cloudbees.jenkins.plugins.sshcredentials.SSHUser. */
public interface SSHUser extends StandardUsernameCredentials {
}
