package kr.everbit.deploy.library;

import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Base class of every script the harness runs (Jenkinsfiles and vars/*.groovy). A call to a method the script
 * does not define is a pipeline step: the harness records it and answers it; a step it does not know fails the test.
 */
public abstract class PipelineScript extends Script {
    PipelineHarness harness;

    public Object methodMissing(String name, Object args) {
        if (harness != null && harness.knows(name)) {
            return harness.step(name, InvokerHelper.asArray(args));
        }
        throw new MissingMethodException(name, getClass(), InvokerHelper.asArray(args));
    }
}
