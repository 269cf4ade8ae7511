package com.cloudbees.plugins.credentials.common;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials. */
public interface StandardUsernamePasswordCredentials extends StandardUsernameCredentials, UsernamePasswordCredentials {
}
