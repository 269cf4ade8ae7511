package kr.everbit.deploy.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import java.util.Map;
import java.util.Set;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.docker.PushImage;
import kr.everbit.deploy.engine.settings.Setting;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code pushGhcr(sha: env.GIT_COMMIT)}: pushes {@code IMAGE:SHA} (built by buildImage on the same agent) and
 * returns the registry's digest. The login lives in a temporary docker config on the agent, the token goes to
 * docker through stdin, and both are gone when the step ends.
 */
public final class PushGhcrStep extends Step {
    static final String FUNCTION = "pushGhcr";
    private final String sha;
    private String image;
    private String credentialsId;
    private String username;

    @DataBoundConstructor
    public PushGhcrStep(String sha) {
        this.sha = Settings.blankToNull(sha);
    }

    public String getSha() {
        return sha;
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Settings.blankToNull(image);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Settings.blankToNull(credentialsId);
    }

    public String getUsername() {
        return username;
    }

    @DataBoundSetter
    public void setUsername(String username) {
        this.username = Settings.blankToNull(username);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends EverbitExecution<String> {
        private static final long serialVersionUID = 1L;
        private final transient PushGhcrStep step;

        Execution(PushGhcrStep step, StepContext context) {
            super(context, FUNCTION);
            this.step = step;
        }

        @Override
        String execute(StepRun run) throws AbortException {
            EverbitGlobalConfiguration defaults = run.defaults();
            Release release = Required.release(step.sha);
            ImageRef image = ImageRef.of(Required.value("image", Settings.pick(step.image, defaults.getImage())));
            String id = Required.value("credentialsId", Settings.pick(step.credentialsId, defaults.getRegistryCredentialsId()));
            RegistryLogin login = run.credentials().registryLogin("credentialsId", id, "username",
                    Settings.pick(step.username, defaults.getRegistryUsername()));
            return new PushImage(run.executor(), run.progress(), run.masker()).run(image, release, login);
        }

        @Override
        Map<Setting, String> renamedParameters() {
            return Map.of(Setting.REGISTRY_USER, "username");
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return Texts.get("pushGhcr.displayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return NodeContext.REQUIRED;
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialChoices.of(item, credentialsId, StandardUsernamePasswordCredentials.class,
                    StringCredentials.class);
        }
    }
}
