package com.cloudbees.plugins.credentials.common;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.common.UsernamePasswordCredentials. */
public interface UsernamePasswordCredentials extends UsernameCredentials, PasswordCredentials {
}
