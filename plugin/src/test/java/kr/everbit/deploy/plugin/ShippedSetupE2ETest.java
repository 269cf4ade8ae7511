package kr.everbit.deploy.plugin;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.ExtensionList;
import hudson.model.Label;
import hudson.model.ParametersAction;
import hudson.model.StringParameterValue;
import hudson.plugins.git.BranchSpec;
import hudson.plugins.git.GitSCM;
import hudson.util.Secret;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.jenkins.EverbitGlobalConfiguration;
import kr.everbit.deploy.sandbox.Sandbox;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The shipped setup end to end, under real CPS: deploy/jenkins/casc/jenkins.yaml loaded by configuration as code,
 * the shared library fetched from a local git repository by the retriever that file configures, and this
 * repository's Jenkinsfile and rollback.Jenkinsfile run from git against the sandbox VM (skipped without it).
 * The builds run as the shipped jobs Deploy/main and Deploy/Rollback that the file's Job DSL creates (their names
 * choose the agent's label and pass the deploy agent's job restriction), on an agent of this test carrying the
 * label "deploy": the file's own agents are inbound ones that never connect here. Written for a machine that
 * reaches the Jenkins repository (mvn -f plugin/pom.xml package).
 */
@WithJenkins
class ShippedSetupE2ETest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    @TempDir
    Path tmp;

    @Test
    void aMergeDeploysAndTheRollbackJobRunsThePreviousReleaseAgain(JenkinsRule j) throws Exception {
        Sandbox sandbox = SandboxOrSkip.get();
        // The library and the application are local repositories (the git plugin refuses file remotes otherwise).
        System.setProperty(GitSCM.class.getName() + ".ALLOW_LOCAL_CHECKOUT", "true");
        Path library = gitRepository("library", REPO.resolve("vars"), REPO.resolve("src"), REPO.resolve("resources"));
        Path deployDir = sandbox.newDeployDir("casc");
        String image = sandbox.registryHost() + "/casc/" + deployDir.getFileName();
        Path app = appRepository(sandbox);

        ConfigurationAsCode.get().configure(casc(library).toString());
        pointAtTheSandbox(sandbox, deployDir, image);
        j.createOnlineSlave(Label.get("deploy"));

        // The shipped job, read from the test's repository instead of GitHub.
        WorkflowJob deploy = j.jenkins.getItemByFullName("Deploy/main", WorkflowJob.class);
        deploy.setDefinition(new CpsScmFlowDefinition(git(app), "Jenkinsfile"));
        WorkflowRun first = j.buildAndAssertSuccess(deploy);
        j.assertLogContains("[everbit] compose up and wait healthy", first);
        String firstSha = git(app, "rev-parse", "HEAD");
        commit(app, "second release");
        WorkflowRun second = j.buildAndAssertSuccess(deploy);
        j.assertLogContains(git(app, "rev-parse", "HEAD"), second);

        WorkflowJob rollback = j.jenkins.getItemByFullName("Deploy/Rollback", WorkflowJob.class);
        rollback.setDefinition(new CpsScmFlowDefinition(git(library), "resources/kr/everbit/deploy/rollback.Jenkinsfile"));
        WorkflowRun r = rollback.scheduleBuild2(0, new ParametersAction(new StringParameterValue("SHA", "previous")))
                .waitForStart();
        j.waitForMessage("Recent releases", r);
        InputAction input = null;
        for (int i = 0; i < 600 && (input == null || input.getExecutions().isEmpty()); i++) {
            TimeUnit.MILLISECONDS.sleep(100);
            input = r.getAction(InputAction.class);
        }
        input.getExecutions().get(0).proceed(null);
        j.assertBuildStatusSuccess(j.waitForCompletion(r));
        j.assertLogContains(firstSha, r);
    }

    /** casc/jenkins.yaml as shipped, with its secret files and environment given as a deployment would give them. */
    private Path casc(Path library) throws IOException {
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        String yaml = Files.readString(REPO.resolve("deploy/jenkins/casc/jenkins.yaml"));
        Matcher secret = Pattern.compile("/run/secrets/([\\w-]+)").matcher(yaml);
        while (secret.find()) {
            Files.writeString(secrets.resolve(secret.group(1)), "not-used-" + secret.group(1) + "\n");
        }
        yaml = yaml.replace("/run/secrets/", secrets + "/");
        for (Map.Entry<String, String> v : Map.of("GHCR_USERNAME", "octocat", "EVERBIT_VM_USER", "deploy",
                "EVERBIT_APP_OWNER", "everbit", "EVERBIT_APP_REPO", "app", "EVERBIT_LIBRARY_REPO", library.toUri().toString())
                .entrySet()) {
            yaml = yaml.replace("${" + v.getKey() + "}", v.getValue());
        }
        return Files.writeString(tmp.resolve("jenkins.yaml"), yaml);
    }

    /** The loaded configuration, pointed at the sandbox VM and registry instead of production. */
    private static void pointAtTheSandbox(Sandbox sandbox, Path deployDir, String image) throws Exception {
        sandbox.writeAsSshUser(deployDir.resolve("compose.yaml"), String.join("\n", "services:", "  server:",
                "    image: " + image + ":unset", "    network_mode: host", ""));
        var store = CredentialsProvider.lookupStores(jenkins.model.Jenkins.get()).iterator().next();
        store.addCredentials(Domain.global(), new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "sandbox-ssh",
                sandbox.sshUser(), new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(Files.readString(sandbox.sshIdentity())),
                null, "sandbox VM"));
        store.addCredentials(Domain.global(), new StringCredentialsImpl(CredentialsScope.GLOBAL, "sandbox-known-hosts",
                "sandbox VM host key", Secret.fromString(Files.readString(sandbox.sshKnownHosts()))));
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "sandbox-registry",
                "sandbox registry", sandbox.registryUser(), sandbox.registryToken()));
        EverbitGlobalConfiguration c = ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
        c.setHost(sandbox.sshHost());
        c.setPort(sandbox.sshPort());
        c.setUser(null);
        c.setSshCredentialsId("sandbox-ssh");
        c.setKnownHostsCredentialsId("sandbox-known-hosts");
        c.setRegistryCredentialsId("sandbox-registry");
        c.setRegistryUsername(null);
        // The sandbox registry has one user: it is the VM's pull credential here too.
        c.setPullCredentialsId("sandbox-registry");
        c.setDir(deployDir.toString());
        c.setComposeFiles("compose.yaml");
        c.setImage(image);
        c.setHealthUrls(null);
        c.setHealthContainers("server");
    }

    /** The application repository: this repository's Jenkinsfile, the sandbox app, and a build that tests nothing. */
    private Path appRepository(Sandbox sandbox) throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.copy(REPO.resolve("Jenkinsfile"), app.resolve("Jenkinsfile"));
        new hudson.FilePath(sandbox.appContext().toFile()).copyRecursiveTo(new hudson.FilePath(app.toFile()));
        Files.writeString(app.resolve("pom.xml"), String.join("\n", "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
                "  <modelVersion>4.0.0</modelVersion>", "  <groupId>kr.everbit.test</groupId>", "  <artifactId>app</artifactId>",
                "  <version>1</version>", "  <packaging>pom</packaging>", "</project>", ""));
        git(app, "init", "-q", "-b", "main");
        commit(app, "first release");
        return app;
    }

    private Path gitRepository(String name, Path... folders) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve(name));
        for (Path folder : folders) {
            new hudson.FilePath(folder.toFile()).copyRecursiveTo(new hudson.FilePath(repo.resolve(folder.getFileName()).toFile()));
        }
        git(repo, "init", "-q", "-b", "main");
        commit(repo, "library");
        return repo;
    }

    private static GitSCM git(Path repo) {
        return new GitSCM(GitSCM.createRepoList(repo.toUri().toString(), null), List.of(new BranchSpec("*/main")),
                null, null, List.of());
    }

    private static void commit(Path repo, String message) throws Exception {
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=test", "-c", "user.email=test@everbit.test", "commit", "-q", "--allow-empty", "-m", message);
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(argv + " failed: " + out);
        }
        return out;
    }
}
