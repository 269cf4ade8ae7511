package kr.everbit.deploy.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;

/** What every Everbit step needs from its context; FilePath makes it run only inside {@code node {}}. */
final class NodeContext {
    static final Set<? extends Class<?>> REQUIRED =
            Set.of(Run.class, TaskListener.class, Launcher.class, FilePath.class, EnvVars.class);

    private NodeContext() {
    }
}
