package com.cloudbees.plugins.credentials.common;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.common.StandardCredentials. */
public interface StandardCredentials extends IdCredentials {
}
