package org.jenkinsci.plugins.workflow.steps;

import hudson.model.AbstractDescribableImpl;

/** API shim (compile-only, never packaged): real signatures of org.jenkinsci.plugins.workflow.steps.Step. */
public abstract class Step extends AbstractDescribableImpl<Step> {
    public abstract StepExecution start(StepContext context) throws Exception;
}
