package kr.everbit.deploy.jenkins;

import hudson.util.FormValidation;

/** A form field's check result: the problem found by {@link ConfigChecks}, or OK. */
final class Validation {
    private Validation() {
    }

    static FormValidation of(String problem) {
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }
}
