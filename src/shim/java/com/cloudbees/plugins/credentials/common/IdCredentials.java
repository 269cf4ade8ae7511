package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** API shim (compile-only, never packaged): real signatures of com.cloudbees.plugins.credentials.common.IdCredentials. */
public interface IdCredentials extends Credentials {
    String getId();
}
