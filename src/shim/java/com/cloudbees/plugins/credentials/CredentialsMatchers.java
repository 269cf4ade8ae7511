package com.cloudbees.plugins.credentials;

/** API shim (compile-only, never packaged): real signatures of com.cloudbees.plugins.credentials.CredentialsMatchers. */
public class CredentialsMatchers {
    private CredentialsMatchers() {
    }

    public static CredentialsMatcher always() {
        throw new UnsupportedOperationException("compile-only API shim");
    }
}
