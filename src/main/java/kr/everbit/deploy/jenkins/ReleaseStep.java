package kr.everbit.deploy.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import kr.everbit.deploy.engine.RegistryLogin;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The parameters of the steps that change what runs on the VM (sshComposeUp, rollbackToSha): the registry login
 * the VM pulls with, and how long to wait for the deploy lock and for the service to become healthy.
 */
public abstract class ReleaseStep extends VmStep {
    private String registryCredentialsId;
    private String registryUsername;
    private Integer lockTimeout;
    private Integer healthTimeout;

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Settings.blankToNull(registryCredentialsId);
    }

    public String getRegistryUsername() {
        return registryUsername;
    }

    @DataBoundSetter
    public void setRegistryUsername(String registryUsername) {
        this.registryUsername = Settings.blankToNull(registryUsername);
    }

    public Integer getLockTimeout() {
        return lockTimeout;
    }

    @DataBoundSetter
    public void setLockTimeout(Integer lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public Integer getHealthTimeout() {
        return healthTimeout;
    }

    @DataBoundSetter
    public void setHealthTimeout(Integer healthTimeout) {
        this.healthTimeout = healthTimeout;
    }

    /** The VM's registry login, or null when none is configured (a public image, or a VM logged in by hand). */
    RegistryLogin registryLogin(StepRun run) throws AbortException {
        EverbitGlobalConfiguration defaults = run.defaults();
        String id = Settings.pick(registryCredentialsId, defaults.getRegistryCredentialsId());
        if (id == null) {
            return null;
        }
        return run.credentials().registryLogin("registryCredentialsId", id, "registryUsername",
                Settings.pick(registryUsername, defaults.getRegistryUsername()));
    }

    int lockTimeout(EverbitGlobalConfiguration defaults) {
        return Settings.pick(lockTimeout, defaults.getLockTimeout());
    }

    int healthTimeout(EverbitGlobalConfiguration defaults) {
        return Settings.pick(healthTimeout, defaults.getHealthTimeout());
    }

    /** Adds the registry credential drop-down. */
    public abstract static class ReleaseStepDescriptor extends VmStepDescriptor {
        public ListBoxModel doFillRegistryCredentialsIdItems(@AncestorInPath Item item,
                                                             @QueryParameter String registryCredentialsId) {
            return CredentialChoices.of(item, registryCredentialsId, StandardUsernamePasswordCredentials.class,
                    StringCredentials.class);
        }
    }
}
