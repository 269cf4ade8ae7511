package kr.everbit.deploy.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * "Everbit deploy" under Manage Jenkins » System: the defaults every step falls back to, so that a Jenkinsfile can
 * say {@code sshComposeUp(sha: env.GIT_COMMIT)} and nothing else. Only IDs of credentials are kept here.
 */
@Extension
@Symbol("everbitDeploy")
public class EverbitGlobalConfiguration extends GlobalConfiguration {
    private String host;
    private int port = 22;
    private String user;
    private String dir;
    private String composeFiles;
    private String service;
    private String image;
    private String sshCredentialsId;
    private String knownHosts;
    private String knownHostsCredentialsId;
    private String registryCredentialsId;
    private String registryUsername;
    private int retain = 5;
    private int lockTimeout = 120;
    private int healthTimeout = 120;

    public EverbitGlobalConfiguration() {
        load();
    }

    public static EverbitGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return Texts.get("config.displayName");
    }

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = Settings.blankToNull(host);
        save();
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = port;
        save();
    }

    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = Settings.blankToNull(user);
        save();
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Settings.blankToNull(dir);
        save();
    }

    /** One file per line, relative to the deploy dir, in compose's -f order. */
    public String getComposeFiles() {
        return composeFiles;
    }

    public List<String> composeFileList() {
        return Settings.lines(composeFiles);
    }

    @DataBoundSetter
    public void setComposeFiles(String composeFiles) {
        this.composeFiles = Settings.blankToNull(composeFiles);
        save();
    }

    public String getService() {
        return service;
    }

    @DataBoundSetter
    public void setService(String service) {
        this.service = Settings.blankToNull(service);
        save();
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Settings.blankToNull(image);
        save();
    }

    public String getSshCredentialsId() {
        return sshCredentialsId;
    }

    @DataBoundSetter
    public void setSshCredentialsId(String sshCredentialsId) {
        this.sshCredentialsId = Settings.blankToNull(sshCredentialsId);
        save();
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        this.knownHosts = Settings.blankToNull(knownHosts);
        save();
    }

    public String getKnownHostsCredentialsId() {
        return knownHostsCredentialsId;
    }

    @DataBoundSetter
    public void setKnownHostsCredentialsId(String knownHostsCredentialsId) {
        this.knownHostsCredentialsId = Settings.blankToNull(knownHostsCredentialsId);
        save();
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Settings.blankToNull(registryCredentialsId);
        save();
    }

    public String getRegistryUsername() {
        return registryUsername;
    }

    @DataBoundSetter
    public void setRegistryUsername(String registryUsername) {
        this.registryUsername = Settings.blankToNull(registryUsername);
        save();
    }

    public int getRetain() {
        return retain;
    }

    @DataBoundSetter
    public void setRetain(int retain) {
        this.retain = retain;
        save();
    }

    public int getLockTimeout() {
        return lockTimeout;
    }

    @DataBoundSetter
    public void setLockTimeout(int lockTimeout) {
        this.lockTimeout = lockTimeout;
        save();
    }

    public int getHealthTimeout() {
        return healthTimeout;
    }

    @DataBoundSetter
    public void setHealthTimeout(int healthTimeout) {
        this.healthTimeout = healthTimeout;
        save();
    }

    public FormValidation doCheckHost(@QueryParameter String value) {
        return Validation.of(ConfigChecks.host(value));
    }

    public FormValidation doCheckPort(@QueryParameter String value) {
        return Validation.of(ConfigChecks.port(value));
    }

    public FormValidation doCheckUser(@QueryParameter String value) {
        return Validation.of(ConfigChecks.user(value));
    }

    public FormValidation doCheckDir(@QueryParameter String value) {
        return Validation.of(ConfigChecks.dir(value));
    }

    public FormValidation doCheckComposeFiles(@QueryParameter String value) {
        return Validation.of(ConfigChecks.composeFiles(Settings.lines(value)));
    }

    public FormValidation doCheckService(@QueryParameter String value) {
        return Validation.of(ConfigChecks.service(value));
    }

    public FormValidation doCheckImage(@QueryParameter String value) {
        return Validation.of(ConfigChecks.image(value));
    }

    public FormValidation doCheckKnownHosts(@QueryParameter String value) {
        return Validation.of(ConfigChecks.knownHosts(value));
    }

    public FormValidation doCheckRetain(@QueryParameter String value) {
        return Validation.of(ConfigChecks.retain(value));
    }

    public FormValidation doCheckLockTimeout(@QueryParameter String value) {
        return Validation.of(ConfigChecks.lockTimeout(value));
    }

    public FormValidation doCheckHealthTimeout(@QueryParameter String value) {
        return Validation.of(ConfigChecks.healthTimeout(value));
    }

    public ListBoxModel doFillSshCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String sshCredentialsId) {
        return CredentialChoices.of(item, sshCredentialsId, SSHUserPrivateKey.class);
    }

    public ListBoxModel doFillKnownHostsCredentialsIdItems(@AncestorInPath Item item,
                                                           @QueryParameter String knownHostsCredentialsId) {
        return CredentialChoices.of(item, knownHostsCredentialsId, FileCredentials.class, StringCredentials.class);
    }

    public ListBoxModel doFillRegistryCredentialsIdItems(@AncestorInPath Item item,
                                                         @QueryParameter String registryCredentialsId) {
        return CredentialChoices.of(item, registryCredentialsId, StandardUsernamePasswordCredentials.class,
                StringCredentials.class);
    }
}
