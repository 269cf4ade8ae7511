package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** API shim (compile-only, never packaged): real signatures of com.cloudbees.plugins.credentials.common.UsernameCredentials. */
public interface UsernameCredentials extends Credentials {
    String getUsername();
}
