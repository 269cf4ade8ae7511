package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.CredentialsMatcher, a type only. */
public interface CredentialsMatcher extends Serializable {
}
