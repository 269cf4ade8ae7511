package kr.everbit.deploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.ExtensionList;
import hudson.model.User;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.security.QueueItemAuthenticatorConfiguration;
import kr.everbit.deploy.jenkins.BuildImageStep;
import kr.everbit.deploy.jenkins.EverbitGlobalConfiguration;
import kr.everbit.deploy.jenkins.EverbitReleasesStep;
import kr.everbit.deploy.jenkins.PushGhcrStep;
import kr.everbit.deploy.jenkins.RollbackToShaStep;
import kr.everbit.deploy.jenkins.SshComposeUpStep;
import kr.everbit.deploy.jenkins.VerifyHealthStep;
import org.htmlunit.html.HtmlForm;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockQueueItemAuthenticator;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The steps' forms (snippet generator) and the global page as a browser submits them; needs no sandbox. */
@WithJenkins
class EverbitFormsTest {
    @Test
    void everyStepSurvivesItsForm(JenkinsRule j) throws Exception {
        StepConfigTester tester = new StepConfigTester(j);
        BuildImageStep build = new BuildImageStep("3f9c2ab");
        build.setImage("ghcr.io/everbit/server");
        build.setContext("server");
        build.setDockerfile("docker/Dockerfile");
        j.assertEqualDataBoundBeans(build, tester.configRoundTrip(build));
        PushGhcrStep push = new PushGhcrStep("3f9c2ab");
        push.setCredentialsId("ghcr");
        push.setUsername("octocat");
        j.assertEqualDataBoundBeans(push, tester.configRoundTrip(push));
        SshComposeUpStep up = new SshComposeUpStep("3f9c2ab");
        up.setHost("api.everbit.kr");
        up.setPort(2222);
        up.setRetain(7);
        up.setLockTimeout(30);
        up.setSwitch("proxy");
        up.setProxyReload("docker compose exec -T nginx nginx -s reload");
        up.setDrain(2);
        up.setWarm(300);
        j.assertEqualDataBoundBeans(up, tester.configRoundTrip(up));
        RollbackToShaStep rollback = new RollbackToShaStep("previous");
        rollback.setReason("502 after the release");
        rollback.setFailedChecks("3f9c2ab");
        j.assertEqualDataBoundBeans(rollback, tester.configRoundTrip(rollback));
        EverbitReleasesStep releases = new EverbitReleasesStep();
        releases.setLimit(10);
        j.assertEqualDataBoundBeans(releases, tester.configRoundTrip(releases));
        VerifyHealthStep verify = new VerifyHealthStep();
        verify.setTimeout(90);
        verify.setSettle(15);
        VerifyHealthStep verified = tester.configRoundTrip(verify);
        j.assertEqualDataBoundBeans(verify, verified);
        assertNull(verified.getPrometheusViaSsh(), "not given stays not given: the global setting applies");
    }

    @Test
    void aClearedNumberOnTheGlobalPageIsItsDefault(JenkinsRule j) throws Exception {
        EverbitGlobalConfiguration c = ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
        c.setRetain(9);
        c.setLockTimeout(30);
        HtmlForm form = j.createWebClient().goTo("configure").getFormByName("config");
        form.getInputByName("_.retain").setValue("");
        form.getInputByName("_.lockTimeout").setValue("");
        j.submit(form);
        assertEquals(5, c.getRetain());
        assertEquals(120, c.getLockTimeout());
    }

    @Test
    void aJobsDropDownListsWhatItsBuildsMayUse(JenkinsRule j) throws Exception {
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "ghcr", "registry", "octocat", "token"));
        WorkflowJob job = j.createProject(WorkflowJob.class, "deploy");
        SshComposeUpStep.DescriptorImpl d = ExtensionList.lookupSingleton(SshComposeUpStep.DescriptorImpl.class);
        assertEquals(List.of("", "ghcr"), values(d.doFillRegistryCredentialsIdItems(job, null)),
                "a job that runs as SYSTEM may use the global credentials");

        // Builds of this job now run as alice, who may not use the system store's credentials: nor may the list.
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        QueueItemAuthenticatorConfiguration.get().getAuthenticators()
                .add(new MockQueueItemAuthenticator().authenticate("deploy", User.getById("alice", true).impersonate2()));
        assertEquals(List.of(""), values(d.doFillRegistryCredentialsIdItems(job, null)));
        assertEquals(List.of("", "ghcr"), values(d.doFillRegistryCredentialsIdItems(job, "ghcr")),
                "the current value is kept, so saving the job does not lose it");
    }

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(o -> o.value).toList();
    }
}
