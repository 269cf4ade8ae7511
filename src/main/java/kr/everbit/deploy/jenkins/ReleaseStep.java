package kr.everbit.deploy.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import java.util.List;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import kr.everbit.deploy.engine.settings.Setting;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The parameters of the steps that change what runs on the VM (sshComposeUp, rollbackToSha): the registry login
 * the VM pulls with (its own read-only one, or the registry credentials), how long to wait for the deploy lock and for the service to become healthy, and how a release
 * replaces the live one (restart, or the proxy switch through the operator's Nginx).
 */
public abstract class ReleaseStep extends VmStep {
    private String registryCredentialsId;
    private String registryUsername;
    private String pullCredentialsId;
    private Integer lockTimeout;
    private Integer healthTimeout;
    private String readyPath;
    private Integer startSettle;
    /** The {@code switch:} parameter (a Java keyword, hence the field's name). */
    private String switchMode;
    private String proxyUpstream;
    private String proxyTest;
    private String proxyReload;
    private String proxyHost;
    private List<Integer> proxyPort;
    private String proxyPortEnv;
    private Integer drain;
    private Integer warm;

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

    public String getPullCredentialsId() {
        return pullCredentialsId;
    }

    @DataBoundSetter
    public void setPullCredentialsId(String pullCredentialsId) {
        this.pullCredentialsId = Settings.blankToNull(pullCredentialsId);
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

    public String getReadyPath() {
        return readyPath;
    }

    @DataBoundSetter
    public void setReadyPath(String readyPath) {
        this.readyPath = Settings.blankToNull(readyPath);
    }

    public Integer getStartSettle() {
        return startSettle;
    }

    @DataBoundSetter
    public void setStartSettle(Integer startSettle) {
        this.startSettle = startSettle;
    }

    public String getSwitch() {
        return switchMode;
    }

    @DataBoundSetter
    public void setSwitch(String switchMode) {
        this.switchMode = Settings.blankToNull(switchMode);
    }

    public String getProxyUpstream() {
        return proxyUpstream;
    }

    @DataBoundSetter
    public void setProxyUpstream(String proxyUpstream) {
        this.proxyUpstream = Settings.blankToNull(proxyUpstream);
    }

    public String getProxyTest() {
        return proxyTest;
    }

    @DataBoundSetter
    public void setProxyTest(String proxyTest) {
        this.proxyTest = Settings.blankToNull(proxyTest);
    }

    public String getProxyReload() {
        return proxyReload;
    }

    @DataBoundSetter
    public void setProxyReload(String proxyReload) {
        this.proxyReload = Settings.blankToNull(proxyReload);
    }

    public String getProxyHost() {
        return proxyHost;
    }

    @DataBoundSetter
    public void setProxyHost(String proxyHost) {
        this.proxyHost = Settings.blankToNull(proxyHost);
    }

    public List<Integer> getProxyPort() {
        return proxyPort;
    }

    /** One port for both slots, or blue's then green's. */
    @DataBoundSetter
    public void setProxyPort(List<Integer> proxyPort) {
        this.proxyPort = proxyPort == null || proxyPort.isEmpty() ? null : List.copyOf(proxyPort);
    }

    public String getProxyPortEnv() {
        return proxyPortEnv;
    }

    @DataBoundSetter
    public void setProxyPortEnv(String proxyPortEnv) {
        this.proxyPortEnv = Settings.blankToNull(proxyPortEnv);
    }

    public Integer getDrain() {
        return drain;
    }

    @DataBoundSetter
    public void setDrain(Integer drain) {
        this.drain = drain;
    }

    public Integer getWarm() {
        return warm;
    }

    @DataBoundSetter
    public void setWarm(Integer warm) {
        this.warm = warm;
    }

    /**
     * The proxy switch mode from the step's values, else the global configuration's, else the settings' defaults;
     * null in restart mode. Checked by the engine before anything is contacted.
     */
    ProxySettings proxy(EverbitGlobalConfiguration defaults) throws AbortException {
        String mode = Settings.pick(switchMode, defaults.getSwitch());
        if (Setting.SWITCH.choice(mode).equals(Setting.SWITCH.defaultText())) {
            return null;
        }
        return ProxySettings.of(
                text(Settings.pick(proxyUpstream, defaults.getProxyUpstream()), Setting.PROXY_UPSTREAM),
                text(Settings.pick(proxyTest, defaults.getProxyTest()), Setting.PROXY_TEST),
                text(Settings.pick(proxyReload, defaults.getProxyReload()), Setting.PROXY_RELOAD),
                Settings.pick(proxyHost, defaults.getProxyHost()), proxyPort != null ? proxyPort : defaults.proxyPortList(),
                Settings.pick(proxyPortEnv, defaults.getProxyPortEnv()),
                Settings.pick(drain, defaults.getDrain()), Settings.pick(warm, defaults.getWarm()));
    }

    private static String text(String value, Setting setting) {
        return value != null ? value : setting.defaultText();
    }

    /**
     * The VM's registry login, or null when none is configured (a public image, or a VM logged in by hand): the
     * read-only pull credential when one is set (step, then global page), so that the push token never reaches the
     * VM; else the registry credentials, as before there was a pull credential.
     */
    RegistryLogin registryLogin(StepRun run) throws AbortException {
        EverbitGlobalConfiguration defaults = run.defaults();
        String username = Settings.pick(registryUsername, defaults.getRegistryUsername());
        String pullId = Settings.pick(pullCredentialsId, defaults.getPullCredentialsId());
        if (pullId != null) {
            return run.credentials().registryLogin("pullCredentialsId", pullId, "registryUsername", username);
        }
        String id = Settings.pick(registryCredentialsId, defaults.getRegistryCredentialsId());
        if (id == null) {
            return null;
        }
        return run.credentials().registryLogin("registryCredentialsId", id, "registryUsername", username);
    }

    int lockTimeout(EverbitGlobalConfiguration defaults) {
        return Settings.pick(lockTimeout, defaults.getLockTimeout());
    }

    int healthTimeout(EverbitGlobalConfiguration defaults) {
        return Settings.pick(healthTimeout, defaults.getHealthTimeout());
    }

    /** When a release counts as started: the step's values, else the global configuration's; checked before contact. */
    StartRules startRules(EverbitGlobalConfiguration defaults) {
        return new StartRules(Settings.pick(readyPath, defaults.getReadyPath()),
                Settings.pick(startSettle, defaults.getStartSettle()));
    }

    /** Adds the registry credential drop-down. */
    public abstract static class ReleaseStepDescriptor extends VmStepDescriptor {
        public ListBoxModel doFillRegistryCredentialsIdItems(@AncestorInPath Item item,
                                                             @QueryParameter String registryCredentialsId) {
            return CredentialChoices.of(item, registryCredentialsId, StandardUsernamePasswordCredentials.class,
                    StringCredentials.class);
        }

        public ListBoxModel doFillPullCredentialsIdItems(@AncestorInPath Item item,
                                                         @QueryParameter String pullCredentialsId) {
            return CredentialChoices.of(item, pullCredentialsId, StandardUsernamePasswordCredentials.class,
                    StringCredentials.class);
        }
    }
}
