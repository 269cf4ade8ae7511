package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;
import hudson.util.Secret;

/** API shim (compile-only, never packaged): real signatures of com.cloudbees.plugins.credentials.common.PasswordCredentials. */
public interface PasswordCredentials extends Credentials {
    Secret getPassword();
}
