package kr.everbit.deploy.plugin;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.ExtensionList;
import hudson.model.Label;
import hudson.model.Result;
import hudson.util.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import kr.everbit.deploy.jenkins.EverbitGlobalConfiguration;
import kr.everbit.deploy.sandbox.Sandbox;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every step in a real pipeline, in a real Jenkins, on an agent, with its secrets in the credential store, against
 * the loopback sandbox VM (start it first: bash scripts/test-env.sh; skipped without it). The build log must never
 * hold a secret.
 */
@WithJenkins
class EverbitStepsPipelineTest {
    private Sandbox sandbox;
    private Path deployDir;
    private String image;
    private final int port = freePort();

    @BeforeEach
    void sandbox() {
        sandbox = SandboxOrSkip.get();
        deployDir = sandbox.newDeployDir("plugin");
        image = sandbox.registryHost() + "/plugin/" + deployDir.getFileName();
    }

    @AfterEach
    void removeContainers() {
        if (sandbox == null) {
            return;
        }
        sandbox.ssh("cd " + deployDir + " && docker-compose -f compose.yaml $( [ -f .everbit/pin.yaml ] && echo -f .everbit/pin.yaml ) down -t 1 >/dev/null 2>&1; true");
    }

    @Test
    void buildPushDeployVerifyListAndRollBackInAPipeline(JenkinsRule j) throws Exception {
        configure(j);
        j.createOnlineSlave(Label.get("docker"));
        String first = randomSha();
        String second = randomSha();
        WorkflowJob p = j.createProject(WorkflowJob.class, "release");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('docker') {",
                "  withEnv(['DOCKER_BUILDKIT=0']) {",
                "    for (sha in ['" + first + "', '" + second + "']) {",
                "      echo \"built ${buildImage(sha: sha, context: '" + sandbox.appContext() + "', buildArgs: [RELEASE: sha])}\"",
                "      echo \"digest ${pushGhcr(sha: sha)}\"",
                "      def r = sshComposeUp(sha: sha)",
                "      echo \"current=${r.current} previous=${r.previous}\"",
                "      def report = verifyHealth(remoteUrls: ['http://127.0.0.1:" + port + "/actuator/health'], containers: ['server'])",
                "      echo \"healthy=${report.ok}\"",
                "    }",
                "    echo \"newest=${everbitReleases(limit: 1)[0].sha}\"",
                "    echo \"running=${rollbackToSha(sha: 'previous', reason: 'pipeline test')}\"",
                "  }",
                "}"), true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("built " + image + ":" + first, b);
        j.assertLogContains("current=" + second + " previous=" + first, b);
        j.assertLogContains("healthy=true", b);
        j.assertLogContains("newest=" + second, b);
        j.assertLogContains("running=" + first, b);
        j.assertLogContains("[everbit] compose up and wait healthy", b);
        assertNoSecretIn(j, b);
    }

    /**
     * The Jenkinsfile of a team that hands its key over with the SSH Agent plugin: no SSH key in the step or the
     * configuration, the VM steps inside {@code sshagent}; outside the block the key is missing, as before.
     */
    @Test
    void theVmStepsInsideAnSshagentBlockUseItsAgent(JenkinsRule j) throws Exception {
        configure(j);
        EverbitGlobalConfiguration c = ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
        c.setSshCredentialsId(null);
        c.setUser(sandbox.sshUser());
        j.createOnlineSlave(Label.get("docker"));
        String sha = randomSha();
        WorkflowJob p = j.createProject(WorkflowJob.class, "sshagent");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('docker') {",
                "  withEnv(['DOCKER_BUILDKIT=0']) {",
                "    buildImage(sha: '" + sha + "', context: '" + sandbox.appContext() + "', buildArgs: [RELEASE: '" + sha + "'])",
                "    pushGhcr(sha: '" + sha + "')",
                "  }",
                "  sshagent(['vm-deploy-key']) {",
                "    echo \"current=${sshComposeUp(sha: '" + sha + "').current}\"",
                "    echo \"newest=${everbitReleases(limit: 1)[0].sha}\"",
                "  }",
                "}"), true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("current=" + sha, b);
        j.assertLogContains("newest=" + sha, b);
        j.assertLogContains("[everbit] SSH key: the agent of the enclosing sshagent block (SSH_AUTH_SOCK)", b);
        j.assertLogNotContains("[everbit] SSH key: credentials", b);
        assertNoSecretIn(j, b);

        WorkflowJob outside = j.createProject(WorkflowJob.class, "no-sshagent");
        // An empty value removes the variable: an agent started from a desktop session would carry its own agent.
        outside.setDefinition(new CpsFlowDefinition(
                "node('docker') { withEnv(['SSH_AUTH_SOCK=']) { everbitReleases() } }", true));
        j.assertLogContains("everbitReleases: sshCredentialsId: is not set",
                j.buildAndAssertStatus(Result.FAILURE, outside));
    }

    @Test
    void aSecretTextWhereTheKeyBelongsFailsTheStepWithoutAStackTrace(JenkinsRule j) throws Exception {
        configure(j);
        j.createOnlineSlave(Label.get("docker"));
        WorkflowJob p = j.createProject(WorkflowJob.class, "wrong-type");
        p.setDefinition(new CpsFlowDefinition(
                "node('docker') { sshComposeUp(sha: '" + randomSha() + "', sshCredentialsId: 'vm-known-hosts') }", true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("sshComposeUp: sshCredentialsId: credentials 'vm-known-hosts' are a secret text where an SSH"
                + " private key was expected", b);
        j.assertLogNotContains("\tat kr.everbit", b);
        assertNoSecretIn(j, b);
    }

    @Test
    void latestIsRefusedAndOutsideNodeNoStepRuns(JenkinsRule j) throws Exception {
        configure(j);
        j.createOnlineSlave(Label.get("docker"));
        WorkflowJob latest = j.createProject(WorkflowJob.class, "latest");
        latest.setDefinition(new CpsFlowDefinition("node('docker') { buildImage(sha: 'latest') }", true));
        j.assertLogContains("buildImage: sha: 'latest' is not a git SHA", j.buildAndAssertStatus(Result.FAILURE, latest));

        WorkflowJob noNode = j.createProject(WorkflowJob.class, "no-node");
        noNode.setDefinition(new CpsFlowDefinition("sshComposeUp(sha: '" + randomSha() + "')", true));
        // StepDescriptor.checkContextAvailability reports the first of getRequiredContext() the context lacks:
        // outside node {} that is the Launcher (Run and TaskListener are there).
        WorkflowRun failed = j.buildAndAssertStatus(Result.FAILURE, noNode);
        j.assertLogContains("Required context class hudson.Launcher is missing", failed);
        j.assertLogContains("Perhaps you forgot to surround the sshComposeUp step with a step that provides this", failed);
    }

    /** The credential store and "Everbit deploy", as an administrator sets them up once. */
    private void configure(JenkinsRule j) throws Exception {
        sandbox.writeAsSshUser(deployDir.resolve("compose.yaml"), String.join("\n",
                "services:",
                "  server:",
                "    image: " + image + ":unset",
                "    network_mode: host",
                "    environment:",
                "      PORT: \"" + port + "\"",
                ""));
        store(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "vm-deploy-key", sandbox.sshUser(),
                new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(Files.readString(sandbox.sshIdentity())), null,
                "the sandbox VM's deploy key"));
        store(new StringCredentialsImpl(CredentialsScope.GLOBAL, "vm-known-hosts", "the sandbox VM's host key",
                Secret.fromString(Files.readString(sandbox.sshKnownHosts()))));
        store(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "registry", "the sandbox registry",
                sandbox.registryUser(), sandbox.registryToken()));
        EverbitGlobalConfiguration c = ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
        c.setHost(sandbox.sshHost());
        c.setPort(sandbox.sshPort());
        c.setSshCredentialsId("vm-deploy-key");
        c.setKnownHostsCredentialsId("vm-known-hosts");
        c.setDir(deployDir.toString());
        c.setComposeFiles("compose.yaml");
        c.setService("server");
        c.setImage(image);
        c.setRegistryCredentialsId("registry");
        c.setHealthTimeout(30);
        c.setVerifyTimeout(30);
    }

    private static void store(Credentials credentials) throws IOException {
        CredentialsProvider.lookupStores(jenkins.model.Jenkins.get()).iterator().next()
                .addCredentials(Domain.global(), credentials);
    }

    private void assertNoSecretIn(JenkinsRule j, WorkflowRun b) throws IOException {
        j.assertLogNotContains(sandbox.registryToken(), b);
        for (String line : Files.readString(sandbox.sshIdentity()).split("\n")) {
            if (line.length() >= 16) {
                j.assertLogNotContains(line, b);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomSha() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
