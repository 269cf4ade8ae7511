package kr.everbit.deploy.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What a step takes from Jenkins: the log, the agent's launcher and workspace, the environment, the run's
 * credentials, who is deploying (the run, for the VM's lock and ledger) and the global defaults.
 */
record StepRuntime(TaskListener listener, Launcher launcher, FilePath workspace, Map<String, String> env,
                   CredentialStore credentials, String actor, EverbitGlobalConfiguration defaults) {

    static StepRuntime of(StepContext context) throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        EnvVars env = context.get(EnvVars.class);
        return new StepRuntime(context.get(TaskListener.class), context.get(Launcher.class), context.get(FilePath.class),
                env, CredentialStore.of(run), "jenkins " + run.getExternalizableId(), EverbitGlobalConfiguration.get());
    }
}
