package com.cloudbees.plugins.credentials.common;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.common.StandardListBoxModel. */
public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {
}
