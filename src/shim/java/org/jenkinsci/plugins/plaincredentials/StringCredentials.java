package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

/** API shim (compile-only, never packaged): real signatures of org.jenkinsci.plugins.plaincredentials.StringCredentials. */
public interface StringCredentials extends StandardCredentials {
    Secret getSecret();
}
