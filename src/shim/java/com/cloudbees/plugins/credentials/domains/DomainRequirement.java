package com.cloudbees.plugins.credentials.domains;

import java.io.Serializable;

/** API shim (compile-only, never packaged): com.cloudbees.plugins.credentials.domains.DomainRequirement, a type only. */
public class DomainRequirement implements Serializable {
    private static final long serialVersionUID = 1L;
}
