package com.cloudbees.plugins.credentials.common;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.common.StandardUsernameCredentials. */
public interface StandardUsernameCredentials extends StandardCredentials, UsernameCredentials {
}
