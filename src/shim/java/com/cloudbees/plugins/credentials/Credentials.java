package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.Credentials, no member used. */
public interface Credentials extends Serializable {
}
