package kr.everbit.deploy.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import hudson.AbortException;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import java.util.List;
import java.util.Set;
import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.swarm.SwarmStack;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The parameters of every step that works on the VM: how to reach it (host, port, user, SSH key, known_hosts)
 * and which compose project to work on (dir, compose files, service, image). Each falls back to the global
 * configuration when not given.
 */
public abstract class VmStep extends Step {
    private String host;
    private Integer port;
    private String user;
    private String sshCredentialsId;
    private String knownHosts;
    private String knownHostsCredentialsId;
    private String dir;
    private List<String> composeFiles;
    private String service;
    private String image;
    private String target;
    private String stack;

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = Settings.blankToNull(host);
    }

    public Integer getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(Integer port) {
        this.port = port;
    }

    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = Settings.blankToNull(user);
    }

    public String getSshCredentialsId() {
        return sshCredentialsId;
    }

    @DataBoundSetter
    public void setSshCredentialsId(String sshCredentialsId) {
        this.sshCredentialsId = Settings.blankToNull(sshCredentialsId);
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        this.knownHosts = Settings.blankToNull(knownHosts);
    }

    public String getKnownHostsCredentialsId() {
        return knownHostsCredentialsId;
    }

    @DataBoundSetter
    public void setKnownHostsCredentialsId(String knownHostsCredentialsId) {
        this.knownHostsCredentialsId = Settings.blankToNull(knownHostsCredentialsId);
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Settings.blankToNull(dir);
    }

    public List<String> getComposeFiles() {
        return composeFiles;
    }

    @DataBoundSetter
    public void setComposeFiles(List<String> composeFiles) {
        this.composeFiles = composeFiles == null || composeFiles.isEmpty() ? null : List.copyOf(composeFiles);
    }

    public String getService() {
        return service;
    }

    @DataBoundSetter
    public void setService(String service) {
        this.service = Settings.blankToNull(service);
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Settings.blankToNull(image);
    }

    public String getTarget() {
        return target;
    }

    /** {@code compose} (the default) or {@code swarm}: then {@code host} is a manager and {@code stack} names the stack. */
    @DataBoundSetter
    public void setTarget(String target) {
        this.target = Settings.blankToNull(target);
    }

    public String getStack() {
        return stack;
    }

    @DataBoundSetter
    public void setStack(String stack) {
        this.stack = Settings.blankToNull(stack);
    }

    /**
     * This step's parameters over the global defaults; fails naming the first setting that has neither. The SSH key
     * may have neither: then an enclosing sshagent block's agent serves (see {@link VmLogin}).
     */
    VmSettings settings(EverbitGlobalConfiguration defaults) throws AbortException {
        String stackName = stack(Settings.pick(target, defaults.getTarget()), Settings.pick(stack, defaults.getStack()));
        if (knownHosts != null && knownHostsCredentialsId != null) {
            throw new AbortException(Texts.get("knownHosts.both"));
        }
        boolean stepNamesHostKeys = knownHosts != null || knownHostsCredentialsId != null;
        String hostKeys = stepNamesHostKeys ? knownHosts : defaults.getKnownHosts();
        String hostKeysId = stepNamesHostKeys ? knownHostsCredentialsId : defaults.getKnownHostsCredentialsId();
        if (hostKeys == null && hostKeysId == null) {
            throw new AbortException(Texts.get("knownHosts.missing"));
        }
        return new VmSettings(
                Required.value("host", Settings.pick(host, defaults.getHost())),
                Settings.pick(port, defaults.getPort()),
                user, defaults.getUser(),
                Settings.pick(sshCredentialsId, defaults.getSshCredentialsId()),
                hostKeys, hostKeysId,
                Required.value("dir", Settings.pick(dir, defaults.getDir())),
                requireFiles(Settings.pick(composeFiles, defaults.composeFileList())),
                Required.value("service", Settings.pick(service, defaults.getService())),
                Required.value("image", Settings.pick(image, defaults.getImage())),
                stackName);
    }

    /**
     * The stack for target swarm, null for compose; checked before anything is contacted, as the CLI checks
     * {@code --target} and {@code --stack}.
     */
    private static String stack(String chosen, String stack) throws AbortException {
        if (!Setting.TARGET.choices().contains(chosen)) {
            throw new AbortException(Texts.get("target.invalid", chosen));
        }
        if (!chosen.equals("swarm")) {
            if (stack != null) {
                throw new AbortException(Texts.get("stack.withoutSwarm"));
            }
            return null;
        }
        if (stack == null) {
            throw new AbortException(Texts.get("stack.missing"));
        }
        return SwarmStack.checkStack(stack);
    }

    /** What target swarm does not do, refused before anything is contacted (as the CLI refuses it). */
    static void refuseOnSwarm(VmSettings settings, boolean given, String what) throws AbortException {
        if (settings.swarm() && given) {
            throw new AbortException(Texts.get("target.swarmRefuses", what));
        }
    }

    private static List<String> requireFiles(List<String> files) throws AbortException {
        if (files.isEmpty()) {
            throw new AbortException(Texts.get("setting.missing", "composeFiles"));
        }
        return files;
    }

    /** The descriptor of a VM step: its credential drop-downs and the context every Everbit step needs. */
    public abstract static class VmStepDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return NodeContext.REQUIRED;
        }

        public ListBoxModel doFillSshCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String sshCredentialsId) {
            return CredentialChoices.of(item, sshCredentialsId, SSHUserPrivateKey.class);
        }

        public ListBoxModel doFillKnownHostsCredentialsIdItems(@AncestorInPath Item item,
                                                               @QueryParameter String knownHostsCredentialsId) {
            return CredentialChoices.of(item, knownHostsCredentialsId, FileCredentials.class, StringCredentials.class);
        }
    }
}
