package kr.everbit.deploy.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.GlobalConfiguration;
import kr.everbit.deploy.engine.settings.Setting;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;

/**
 * How the "Everbit deploy" page checks its fields as they are typed (doCheck, with {@link ConfigChecks}) and fills
 * its credential drop-downs (doFill); {@link EverbitGlobalConfiguration} holds the values. Stapler finds these
 * methods on the configuration's class hierarchy.
 */
public abstract class ConfigurationForm extends GlobalConfiguration {
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

    public FormValidation doCheckReadyPath(@QueryParameter String value) {
        return Validation.of(ConfigChecks.readyPath(value));
    }

    public FormValidation doCheckStartSettle(@QueryParameter String value) {
        return Validation.of(ConfigChecks.startSettle(value));
    }

    public FormValidation doCheckHealthUrls(@QueryParameter String value) {
        return Validation.of(ConfigChecks.urls(Setting.URL, Settings.lines(value)));
    }

    public FormValidation doCheckRemoteHealthUrls(@QueryParameter String value) {
        return Validation.of(ConfigChecks.urls(Setting.REMOTE_URL, Settings.lines(value)));
    }

    public FormValidation doCheckHealthContainers(@QueryParameter String value) {
        return Validation.of(ConfigChecks.services(Settings.lines(value)));
    }

    public FormValidation doCheckHealthTcp(@QueryParameter String value) {
        return Validation.of(ConfigChecks.tcp(Settings.lines(value)));
    }

    public FormValidation doCheckPrometheusUrl(@QueryParameter String value) {
        return Validation.of(ConfigChecks.urls(Setting.PROMETHEUS, Settings.lines(value)));
    }

    public FormValidation doCheckPrometheusMax(@QueryParameter String value) {
        return Validation.of(value == null || value.isBlank() ? null : ConfigChecks.prometheusMax(value));
    }

    public FormValidation doCheckVerifyTimeout(@QueryParameter String value) {
        return Validation.of(ConfigChecks.verifyTimeout(value));
    }

    public FormValidation doCheckSettle(@QueryParameter String value) {
        return Validation.of(ConfigChecks.settle(value));
    }

    public FormValidation doCheckSwitch(@QueryParameter String value) {
        return Validation.of(ConfigChecks.switchMode(value));
    }

    public FormValidation doCheckProxyUpstream(@QueryParameter String value) {
        return Validation.of(ConfigChecks.proxyUpstream(value));
    }

    public FormValidation doCheckProxyTest(@QueryParameter String value) {
        return Validation.of(ConfigChecks.proxyTest(value));
    }

    public FormValidation doCheckProxyReload(@QueryParameter String value) {
        return Validation.of(ConfigChecks.proxyReload(value));
    }

    public FormValidation doCheckProxyHost(@QueryParameter String value) {
        return Validation.of(ConfigChecks.proxyHost(value));
    }

    public FormValidation doCheckProxyPort(@QueryParameter String value) {
        return Validation.of(ConfigChecks.proxyPort(value));
    }

    public FormValidation doCheckProxyPortEnv(@QueryParameter String value) {
        return Validation.of(ConfigChecks.proxyPortEnv(value));
    }

    public FormValidation doCheckDrain(@QueryParameter String value) {
        return Validation.of(ConfigChecks.drain(value));
    }

    public FormValidation doCheckWarm(@QueryParameter String value) {
        return Validation.of(ConfigChecks.warm(value));
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

    public ListBoxModel doFillPullCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String pullCredentialsId) {
        return CredentialChoices.of(item, pullCredentialsId, StandardUsernamePasswordCredentials.class,
                StringCredentials.class);
    }
}
