package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.FilePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.everbit.deploy.sandbox.Sandbox;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM step inside {@code sshagent(['key']) { ... }}: the ssh-agent plugin starts a real ssh-agent on the build
 * agent, adds the key to it and puts {@code SSH_AUTH_SOCK} into the environment (EnvVars) of the steps in the block.
 * Here the same: a real ssh-agent holding the sandbox's deploy key, its socket in the step's environment, and no
 * SSH key credential anywhere; the step reaches the sandbox VM through it.
 */
class SshAgentBlockE2ETest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private final Sandbox sandbox = Sandbox.get();
    private final TestListener log = new TestListener();
    private final TestLauncher launcher = new TestLauncher(log);
    private final Path deployDir = sandbox.newDeployDir("sshagent-block");
    private final TestCredentials credentials;
    @TempDir
    Path tmp;
    private Process agent;

    SshAgentBlockE2ETest() throws IOException {
        credentials = new TestCredentials()
                .sshKey("vm-deploy-key", sandbox.sshUser(), Files.readString(sandbox.sshIdentity()), null)
                .secretFile("vm-known-hosts", Files.readString(sandbox.sshKnownHosts()));
        sandbox.writeAsSshUser(deployDir.resolve("compose.yaml"),
                Sandbox.composeFile(18_080, "server", sandbox.registryHost() + "/sshagent/server:unset"));
        // One release in the VM's ledger as the tool writes it (the image tagged by its SHA: a ledger line naming
        // anything else is unreadable), so that everbitReleases shows it has read the VM.
        sandbox.writeAsSshUser(deployDir.resolve(".everbit/releases.jsonl"), "{\"sha\":\"" + SHA + "\",\"image\":\""
                + sandbox.registryHost() + "/sshagent/server:" + SHA + "\",\"action\":\"deploy\",\"result\":\"success\","
                + "\"at\":\"2025-01-02T03:04:05Z\",\"actor\":\"test\"}\n");
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Manage Jenkins » System » Everbit deploy without an SSH key (nor a user). */
    private EverbitGlobalConfiguration everbit() {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setHost(sandbox.sshHost());
        c.setPort(sandbox.sshPort());
        c.setKnownHostsCredentialsId("vm-known-hosts");
        c.setDir(deployDir.toString());
        c.setComposeFiles("compose.yaml");
        c.setService("server");
        c.setImage(sandbox.registryHost() + "/sshagent/server");
        return c;
    }

    /** Runs the step with this environment, as the block's EnvVars would hand it over. */
    private Object run(Step step, Map<String, String> env) throws Exception {
        Path workspace = Files.createDirectories(tmp.resolve("workspace"));
        StepRuntime runtime = new StepRuntime(log, launcher, new FilePath(workspace.toFile()), env, credentials,
                "jenkins everbit/server#8", everbit());
        return ((EverbitExecution<?>) step.start(null)).runWith(runtime);
    }

    /** What the sshagent block sets: the environment without any agent of this machine's, plus the block's. */
    private static Map<String, String> insideTheBlock(String socket) {
        Map<String, String> env = outsideAnyBlock();
        env.put("SSH_AUTH_SOCK", socket);
        return env;
    }

    private static Map<String, String> outsideAnyBlock() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("SSH_AUTH_SOCK");
        env.remove("SSH_AGENT_PID");
        return env;
    }

    /** A real ssh-agent in the foreground (so that the test ends it), holding the sandbox key when asked to. */
    private String startAgent(boolean withTheKey) throws Exception {
        Path socket = tmp.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
        assertThat(socket).exists();
        if (withTheKey) {
            Sandbox.run(List.of("ssh-add", "-q", sandbox.sshIdentity().toString()),
                    Map.of("SSH_AUTH_SOCK", socket.toString()), Duration.ofSeconds(30)).requireSuccess("ssh-add");
        }
        return socket.toString();
    }

    private static EverbitReleasesStep releasesAs(String user) {
        EverbitReleasesStep step = new EverbitReleasesStep();
        step.setUser(user);
        return step;
    }

    @Test
    void withoutAnSshKeyCredentialTheBlocksAgentReachesTheVm() throws Exception {
        String socket = startAgent(true);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> releases = (List<Map<String, Object>>) run(releasesAs(sandbox.sshUser()),
                insideTheBlock(socket));

        assertThat(releases).extracting(r -> r.get("sha")).containsExactly(SHA);
        assertThat(log.text()).contains("[everbit] SSH key: the agent of the enclosing sshagent block (SSH_AUTH_SOCK)");
        assertThat(credentials.used).containsExactly("vm-known-hosts");
        assertThat(launcher.commands).noneSatisfy(argv -> assertThat(argv.get(0)).isIn("ssh-agent", "ssh-add"));
    }

    @Test
    void theHostKeyIsStillChecked() throws Exception {
        String socket = startAgent(true);
        EverbitReleasesStep step = releasesAs(sandbox.sshUser());
        step.setKnownHosts(Files.readString(sandbox.sshKnownHostsWrong()));

        assertThatThrownBy(() -> run(step, insideTheBlock(socket)))
                .hasMessageStartingWith("everbitReleases: the host key of " + sandbox.sshUser() + "@" + sandbox.sshHost());
    }

    @Test
    void anAgentWithoutTheVmsKeyIsRefusedByTheVm() throws Exception {
        String socket = startAgent(false);

        assertThatThrownBy(() -> run(releasesAs(sandbox.sshUser()), insideTheBlock(socket)))
                .hasMessageStartingWith("everbitReleases: ssh authentication as '" + sandbox.sshUser() + "' was refused");
    }

    @Test
    void anSshKeyCredentialWinsOverTheBlocksAgent() throws Exception {
        String socket = startAgent(false);
        EverbitReleasesStep step = new EverbitReleasesStep();
        step.setSshCredentialsId("vm-deploy-key");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> releases = (List<Map<String, Object>>) run(step, insideTheBlock(socket));

        assertThat(releases).extracting(r -> r.get("sha")).containsExactly(SHA);
        assertThat(log.text()).contains("[everbit] SSH key: credentials 'vm-deploy-key'")
                .doesNotContain("sshagent block");
        assertThat(credentials.used).contains("vm-deploy-key");
    }

    @Test
    void insideTheBlockTheUserMustBeGiven() throws Exception {
        String socket = startAgent(true);

        assertThatThrownBy(() -> run(new EverbitReleasesStep(), insideTheBlock(socket)))
                .hasMessage("everbitReleases: user: is not set: with the agent of the enclosing sshagent block there is"
                        + " no SSH credential to take the user from; give user: to the step, or set SSH user in"
                        + " Manage Jenkins » System » Everbit deploy");
        assertThat(launcher.commands).isEmpty();
    }

    @Test
    void outsideAnyBlockAndWithoutACredentialTheKeyIsMissing() {
        assertThatThrownBy(() -> run(releasesAs(sandbox.sshUser()), outsideAnyBlock()))
                .hasMessage("everbitReleases: sshCredentialsId: is not set: give it to the step, or set a default in"
                        + " Manage Jenkins » System » Everbit deploy");
        assertThat(launcher.commands).isEmpty();
    }
}
