package kr.everbit.deploy.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/jenkins: the compose service, the configuration-as-code file and the Rollback job definitions, parsed and
 * checked against the tunnel-only rule: loopback port, no anonymous access, no secret written in a file.
 */
class JenkinsServerConfigTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path JENKINS = REPO.resolve("deploy/jenkins");
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");
    /** Credential fields that hold a secret in the credentials plugins' configuration-as-code forms. */
    static final List<String> SECRET_FIELDS = List.of("password", "privateKey", "secret", "secretBytes", "passphrase", "token");

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            assertThat(current).as("parent of " + key).isInstanceOf(Map.class);
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    static Map<String, Object> compose() throws IOException {
        return at(yaml(JENKINS.resolve("compose.yaml")), "services", "jenkins");
    }

    static Map<String, Object> casc() throws IOException {
        return yaml(JENKINS.resolve("casc/jenkins.yaml"));
    }

    static Map<String, Object> service(String name) throws IOException {
        return at(yaml(JENKINS.resolve("compose.yaml")), "services", name);
    }

    @Test
    void jenkinsPublishesItsPortOnLoopbackOnlyAndNotTheApplications8080() throws IOException {
        Map<String, Object> jenkins = compose();
        List<Object> ports = at(jenkins, "ports");

        assertThat(ports).containsExactly("127.0.0.1:8081:8080");
        assertThat(jenkins).doesNotContainKey("network_mode");
        assertThat(service("agent-test")).doesNotContainKey("ports");
        assertThat(service("agent-deploy")).doesNotContainKey("ports");
        assertThat(at(casc(), "jenkins", "slaveAgentPort").toString()).isEqualTo("-1");
        // The same port everywhere a person or GitHub reaches Jenkins: the root URL, the tunnel, the host upstream.
        assertThat((Object) at(casc(), "unclassified", "location", "url")).isEqualTo("http://localhost:8081/");
        assertThat(GroovySourcesTest.read(JENKINS.resolve("nginx/jenkins-upstream-host.conf"))).contains("server 127.0.0.1:8081;");
    }

    @Test
    void theControllerBuildsNothingAndOnlyTheDeployAgentHasTheDockerSocket() throws IOException {
        assertThat(at(casc(), "jenkins", "numExecutors").toString()).isEqualTo("0");
        assertThat(compose()).doesNotContainKey("group_add");
        assertThat((List<String>) at(compose(), "volumes")).noneMatch(v -> v.contains("docker.sock"));
        assertThat((List<String>) at(service("agent-test"), "volumes")).noneMatch(v -> v.contains("docker.sock"));
        assertThat((List<String>) at(service("agent-deploy"), "volumes")).contains("/var/run/docker.sock:/var/run/docker.sock");
        assertThat(GroovySourcesTest.read(JENKINS.resolve("Dockerfile"))).doesNotContain("docker.io", "openssh-client");
        assertThat(GroovySourcesTest.read(JENKINS.resolve("agents/test.Dockerfile"))).contains("-jdk21", "maven")
                .doesNotContain("docker", "openssh");
        assertThat(GroovySourcesTest.read(JENKINS.resolve("agents/deploy.Dockerfile")))
                .contains("-jdk21", "docker.io", "docker-buildx", "openssh-client");
    }

    @Test
    void eachAgentIsANodeThatTakesOnlyItsLabelAndTheDeployAgentOnlyTheDeployFolder() throws IOException {
        List<Map<String, Object>> nodes = at(casc(), "jenkins", "nodes");
        Map<String, Map<String, Object>> byName = new java.util.TreeMap<>();
        nodes.forEach(n -> byName.put(String.valueOf((Object) at(n, "permanent", "name")), at(n, "permanent")));

        assertThat(byName).containsOnlyKeys("test", "deploy");
        byName.forEach((name, node) -> {
            assertThat(node).containsEntry("labelString", name).containsEntry("mode", "EXCLUSIVE");
            assertThat((Object) at(node, "launcher", "inbound", "webSocket")).isEqualTo(true);
        });
        assertThat(byName.get("test")).doesNotContainKey("nodeProperties");
        List<Map<String, Object>> properties = at(byName.get("deploy"), "nodeProperties");
        String regex = at(properties.get(0), "jobRestrictionProperty", "jobRestriction", "regexNameRestriction", "regexExpression");
        // job-restrictions names a pipeline's executor "<job full name>/<placeholder's display name>" (QueueHelper)
        // and matches the whole name (String.matches).
        assertThat("Deploy/main/part of Deploy » main #12").matches(regex);
        assertThat("Deploy/Rollback/part of Deploy » Rollback #3").matches(regex);
        assertThat(List.of("Test/PR-31/part of Test » PR-31 #1", "Test/main/part of Test » main #1",
                "Deploy/mainx/part of Deploy » mainx #1", "Other/Deploy/main/part of x #1"))
                .noneMatch(name -> name.matches(regex));
    }

    @Test
    void theImageIsAPinnedLtsOnJava21WithPinnedPluginsAndAlwaysTheBuiltPlugin() throws IOException {
        String dockerfile = GroovySourcesTest.read(JENKINS.resolve("Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^FROM jenkins/jenkins:\\d+\\.\\d+\\.\\d+-lts-jdk21$");
        for (String agent : List.of("agents/test.Dockerfile", "agents/deploy.Dockerfile")) {
            assertThat(GroovySourcesTest.read(JENKINS.resolve(agent))).containsPattern("(?m)^FROM jenkins/inbound-agent:[0-9]+\\.v[0-9a-f_]+-\\d+-jdk21$");
        }
        // Without --latest false the tool resolves dependencies to their newest release of the day. The built
        // plugin goes through the tool (by its file URL), so its own dependencies are resolved against the pins.
        String install = dockerfile.substring(dockerfile.indexOf("RUN jenkins-plugin-cli"));
        install = install.substring(0, install.indexOf("\nCOPY"));
        assertThat(install).contains("--latest false", "--plugin-file /usr/share/jenkins/ref/plugins.txt",
                "--plugins everbit-deploy::file:///tmp/everbit-deploy.hpi");
        // jenkins-support's copy_reference_file copies a ".override" file on every start; a plain .jpi only when
        // its version sorts newer than the installed one, which 999999-SNAPSHOT never does.
        assertThat(install).contains("mv everbit-deploy.jpi everbit-deploy.jpi.override");
        // A plugin installed without a pin stops the build.
        assertThat(install).contains("grep -q \"^$n:\" ../plugins.txt", "exit 1");
    }

    /** The image build's last check, run as the Dockerfile has it: a plugin the tool installed without a pin stops it. */
    @Test
    void theImageBuildRefusesAPluginInstalledWithoutAPin() throws Exception {
        String dockerfile = GroovySourcesTest.read(JENKINS.resolve("Dockerfile")).replace("\\\n", " ");
        String run = dockerfile.lines().filter(l -> l.startsWith("RUN jenkins-plugin-cli")).findFirst().orElseThrow();
        List<String> check = Stream.of(run.split("&& ")).map(String::strip)
                .filter(c -> c.startsWith("unpinned=") || c.startsWith("if ")).toList();
        assertThat(check).hasSize(2);
        Path ref = Files.createTempDirectory("ref");
        Path plugins = Files.createDirectories(ref.resolve("plugins"));
        for (String file : List.of("git.jpi", "job-dsl.jpi", "everbit-deploy.jpi.override")) {
            Files.writeString(plugins.resolve(file), "");
        }
        Files.writeString(ref.resolve("plugins.txt"), "# pins\ngit:5.10.1\n");
        String script = String.join(" && ", check);

        Process refused = new ProcessBuilder("sh", "-c", script).directory(plugins.toFile()).redirectErrorStream(true).start();
        String said = new String(refused.getInputStream().readAllBytes());
        assertThat(refused.waitFor()).isEqualTo(1);
        assertThat(said).contains("job-dsl").doesNotContain("git ").doesNotContain("everbit-deploy");

        Files.writeString(ref.resolve("plugins.txt"), "git:5.10.1\njob-dsl:3732.v9a_c49a_61a_313\n");
        Process passed = new ProcessBuilder("sh", "-c", script).directory(plugins.toFile()).redirectErrorStream(true).start();
        assertThat(passed.waitFor()).as(new String(passed.getInputStream().readAllBytes())).isZero();
    }

    /**
     * plugins.txt pins the plugin set the image runs and agrees with plugin/pom.xml: every plugin the plugin depends
     * on, or that the shipped setup's test runs with (ssh-agent aside: the setup uses none of it), is pinned, once,
     * at a release version, and the image's Jenkins is not older than the baseline the plugin is built against.
     * That the list is the whole resolved set is checked where the update centre is reachable: by the image build
     * (no unpinned plugin installed) and by refresh-plugins.sh, which writes it.
     */
    @Test
    void thePinnedPluginsAreCompleteForThePluginsPomAndConsistent() throws Exception {
        List<String> plugins = Files.readAllLines(JENKINS.resolve("plugins.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(plugins).isNotEmpty().allSatisfy(p -> assertThat(p).matches("[a-z0-9-]+:[0-9][A-Za-z0-9._-]*"))
                .noneMatch(p -> p.endsWith(":latest") || p.contains("SNAPSHOT"));
        List<String> names = plugins.stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
        assertThat(names).doesNotHaveDuplicates().doesNotContain("everbit-deploy")
                .contains("configuration-as-code", "job-dsl", "cloudbees-folder", "job-restrictions", "github-branch-source");

        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(REPO.resolve("plugin/pom.xml").toFile());
        List<String> needed = new ArrayList<>();
        org.w3c.dom.NodeList dependencies = pom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            org.w3c.dom.Element d = (org.w3c.dom.Element) dependencies.item(i);
            String artifact = d.getElementsByTagName("artifactId").item(0).getTextContent();
            boolean bom = d.getElementsByTagName("type").getLength() > 0;
            if (!bom && !artifact.equals("ssh-agent")) {
                needed.add(artifact);
            }
        }
        assertThat(needed).contains("workflow-step-api", "credentials", "configuration-as-code");
        assertThat(names).containsAll(needed);

        String image = GroovySourcesTest.read(JENKINS.resolve("Dockerfile")).replaceAll("(?s).*\nFROM jenkins/jenkins:([0-9.]+)-.*", "$1");
        String baseline = text(pom, "jenkins.baseline");
        assertThat(compareVersions(image, baseline)).as("the image's Jenkins %s against the baseline %s", image, baseline)
                .isGreaterThanOrEqualTo(0);
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Test
    void composeHandsSecretsOverAsFilesThatAreNeverCommitted() throws IOException {
        Map<String, Object> jenkins = compose();
        Map<String, Object> environment = at(jenkins, "environment");
        Map<String, Object> secrets = at(yaml(JENKINS.resolve("compose.yaml")), "secrets");

        assertThat(environment.keySet()).noneMatch(name -> name.matches(".*(PASSWORD|TOKEN|SECRET|_KEY).*"));
        assertThat(secrets).isNotEmpty();
        secrets.forEach((name, definition) -> assertThat(at(definition, "file").toString()).startsWith("./secrets/"));
        assertThat(Files.readAllLines(REPO.resolve(".gitignore"))).contains("deploy/jenkins/secrets/");
    }

    @Test
    void composePointsConfigurationAsCodeAtTheMountedFile() throws IOException {
        Map<String, Object> jenkins = compose();
        String cascPath = at(jenkins, "environment", "CASC_JENKINS_CONFIG");
        List<String> volumes = at(jenkins, "volumes");

        String mount = volumes.stream().filter(v -> v.startsWith("./casc:")).findFirst().orElseThrow();
        String target = mount.split(":")[1];
        assertThat(cascPath).startsWith(target + "/");
        assertThat(JENKINS.resolve("casc").resolve(cascPath.substring(target.length() + 1))).isRegularFile();
    }

    @Test
    void nobodyGetsInWithoutLoggingIn() throws IOException {
        Map<String, Object> jenkins = at(casc(), "jenkins");

        assertThat((Object) at(jenkins, "authorizationStrategy", "loggedInUsersCanDoAnything", "allowAnonymousRead")).isEqualTo(false);
        assertThat((Object) at(jenkins, "securityRealm", "local", "allowsSignup")).isEqualTo(false);
        List<Map<String, Object>> users = at(jenkins, "securityRealm", "local", "users");
        assertThat(users).singleElement().satisfies(admin -> assertThat(admin.get("password").toString())
                .matches("\\$\\{trim:\\$\\{readFile:/run/secrets/[a-z-]+}}"));
    }

    @Test
    void everyCredentialSecretIsAReferenceNeverALiteral() throws IOException {
        List<Map<String, Object>> domains = at(casc(), "credentials", "system", "domainCredentials");
        List<String> secretValues = new ArrayList<>();
        Map<String, String> types = new java.util.TreeMap<>();
        for (Map<String, Object> domain : domains) {
            for (Map<String, Object> entry : (List<Map<String, Object>>) (List<?>) at(domain, "credentials")) {
                entry.forEach((type, body) -> types.put(String.valueOf((Object) at(body, "id")), type));
                collectSecrets(entry, secretValues);
            }
        }

        // Only the read-only token and the webhook secret (which opens nothing) are system credentials: every job
        // sees those.
        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of("github", "usernamePassword",
                "github-webhook-secret", "string"));
        assertThat(secretValues).hasSize(2).allSatisfy(value -> assertThat(value).matches("\\$\\{trim:\\$\\{readFile:[^}]+}}"));
    }

    @Test
    void everyReferenceInTheCascFileIsProvidedByCompose() throws IOException {
        // Values only, as Jenkins reads them (comments may mention ${...} in prose); job scripts included.
        List<String> values = new ArrayList<>();
        collectStrings(casc(), values);
        String cascText = String.join("\n", values);
        Map<String, Object> jenkins = compose();
        Map<String, Object> environment = at(jenkins, "environment");
        List<String> secrets = at(jenkins, "secrets");

        // A bare readFile keeps the file's trailing newline inside the value.
        assertThat(cascText).doesNotContainPattern("(?<!trim:)\\$\\{readFile");
        Matcher m = REFERENCE.matcher(cascText.replace("${trim:${", "${"));
        List<String> references = new ArrayList<>();
        while (m.find()) {
            references.add(m.group(1));
        }
        assertThat(references).isNotEmpty().allSatisfy(ref -> {
            if (ref.startsWith("readFile:") || ref.startsWith("readFileBase64:")) {
                assertThat(secrets).contains(ref.substring(ref.indexOf("/run/secrets/") + "/run/secrets/".length()));
            } else {
                assertThat(environment).containsKey(ref);
            }
        });
        assertThat(GroovySourcesTest.read(JENKINS.resolve("casc/jenkins.yaml")))
                .doesNotContain("BEGIN OPENSSH", "BEGIN RSA", "ghp_", "github_pat_");
    }

    @Test
    void theSharedLibraryIsThisRepositoryPinnedToMain() throws IOException {
        List<Map<String, Object>> libraries = at(casc(), "unclassified", "globalLibraries", "libraries");

        assertThat(libraries).singleElement().satisfies(library -> {
            assertThat(library).containsEntry("name", "everbit-deploy").containsEntry("defaultVersion", "main")
                    .containsEntry("allowVersionOverride", false);
            assertThat((Object) at(library, "retriever", "modernSCM", "scm", "git", "credentialsId")).isEqualTo("github");
        });
    }

    @Test
    void theDeployFolderHoldsOnlyMainAndRollbackAndTheTestJobNeverBuildsMain() throws Exception {
        List<Map<String, Object>> jobs = at(casc(), "jobs");
        List<String> scripts = jobs.stream().map(j -> j.get("script").toString()).toList();

        assertThat(scripts).hasSize(4);
        String deploy = only(scripts, "pipelineJob('Deploy/main')");
        String tests = only(scripts, "multibranchPipelineJob('Test')");
        String rollback = only(scripts, "pipelineJob('Deploy/Rollback')");
        only(scripts, "folder('Deploy')");
        // Every item created inside the folder: exactly these two, which the deploy agent's restriction names.
        List<String> inFolder = new ArrayList<>();
        Matcher items = Pattern.compile("[A-Za-z]+\\('Deploy/([^']+)'\\)").matcher(String.join("\n", scripts));
        while (items.find()) {
            inFolder.add(items.group(1));
        }
        assertThat(inFolder).containsExactlyInAnyOrder("main", "Rollback");

        assertThat(deploy).contains("branch('*/main')", "scriptPath('Jenkinsfile')", "pollSCM");
        assertThat(tests).contains("scriptPath('Jenkinsfile')", "gitHubPullRequestDiscovery", "excludes('main')")
                .doesNotContain("('Deploy/");
        assertThat(rollback).contains("stringParam('SHA', 'previous'", "scriptPath('" + JenkinsfilesTest.ROLLBACK + "')");
        assertThat(REPO.resolve(JenkinsfilesTest.ROLLBACK)).isRegularFile();
        for (String script : scripts) {
            assertThat(GroovySourcesTest.compile("casc-job", script)).isNull();
            assertThat(script).doesNotContain("'ghcr'", "everbit-vm-ssh", "everbit-vm-known-hosts");
        }

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(REPO.resolve("resources/kr/everbit/deploy/rollback-job.xml").toFile());
        assertThat(text(xml, "scriptPath")).isEqualTo(JenkinsfilesTest.ROLLBACK);
        assertThat(text(xml, "name")).isEqualTo("SHA");
        assertThat(text(xml, "defaultValue")).isEqualTo("previous");
    }

    @Test
    void theTunnelScriptForwardsLoopbackToLoopback() throws Exception {
        assertThat(tunnelArguments(Map.of())).isEqualTo(
                "-N -o ExitOnForwardFailure=yes -L 127.0.0.1:8081:127.0.0.1:8081 ubuntu@api.everbit.kr");
        assertThat(tunnelArguments(Map.of("EVERBIT_TUNNEL_PORT", "18080", "EVERBIT_SSH_KEY", "/home/me/.ssh/everbit"),
                "deploy@vm.example.org")).isEqualTo(
                "-i /home/me/.ssh/everbit -N -o ExitOnForwardFailure=yes -L 127.0.0.1:18080:127.0.0.1:8081 deploy@vm.example.org");
    }

    private static String only(List<String> scripts, String marker) {
        return scripts.stream().filter(s -> s.contains(marker)).findFirst().orElseThrow(() -> new AssertionError(marker));
    }

    /** Runs tunnel.sh with a stand-in ssh first on the PATH that writes down its arguments. */
    private static String tunnelArguments(Map<String, String> env, String... args) throws Exception {
        Path dir = Files.createTempDirectory("tunnel");
        Path ssh = dir.resolve("ssh");
        Path seen = dir.resolve("args");
        Files.writeString(ssh, "#!/bin/sh\necho \"$*\" > '" + seen + "'\n");
        ssh.toFile().setExecutable(true);
        List<String> command = new ArrayList<>(List.of(JENKINS.resolve("tunnel.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("EVERBIT_"));
        builder.environment().putAll(env);
        builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("http://localhost:");
        return Files.readString(seen).trim();
    }

    @Test
    void theStartHookWritesTheAgentsSecretsAndFillsTheDeployFolderFromComposesSecrets() throws IOException {
        String hook = GroovySourcesTest.read(JENKINS.resolve("init.groovy.d/everbit-setup.groovy"));
        // Syntax only: the Jenkins classes it imports are not on this class path.
        org.codehaus.groovy.control.CompilationUnit unit = new org.codehaus.groovy.control.CompilationUnit();
        unit.addSource("everbit-setup.groovy", hook);
        unit.compile(org.codehaus.groovy.control.Phases.CONVERSION);
        List<String> secrets = at(compose(), "secrets");
        Matcher read = Pattern.compile("secret\\('([a-z-]+)'\\)").matcher(hook);
        List<String> readByHook = new ArrayList<>();
        while (read.find()) {
            readByHook.add(read.group(1));
        }
        assertThat(readByHook).containsExactlyInAnyOrder("ghcr-token", "ghcr-pull-token", "everbit-vm-ssh-key",
                "everbit-vm-known-hosts");
        assertThat(secrets).containsAll(readByHook);
        assertThat(hook).contains("getItemByFullName('Deploy'", "'ghcr'", "'ghcr-pull'", "'everbit-vm-ssh'", "'everbit-vm-known-hosts'",
                "['test', 'deploy']");
        assertThat(GroovySourcesTest.read(JENKINS.resolve("Dockerfile")))
                .contains("init.groovy.d/everbit-setup.groovy /usr/share/jenkins/ref/init.groovy.d/everbit-setup.groovy.override");
        // Each agent mounts only its own secret's volume, read-only; the controller writes both.
        for (String agent : List.of("test", "deploy")) {
            Map<String, Object> service = service("agent-" + agent);
            assertThat((List<String>) at(service, "volumes")).contains("agent_" + agent + "_secret:/run/everbit-agent:ro")
                    .noneMatch(v -> v.startsWith("agent_" + (agent.equals("test") ? "deploy" : "test")));
            assertThat((Object) at(service, "environment", "JENKINS_AGENT_NAME")).isEqualTo(agent);
            assertThat((List<String>) at(compose(), "volumes")).contains("agent_" + agent + "_secret:/var/jenkins_agent_secrets/" + agent);
        }
    }

    /**
     * connect.sh with a stand-in for the image's jenkins-agent: the agent secret reaches remoting as "-secret @FILE"
     * (read from the file by remoting), never as the value in argv (ps) or in the environment (every build's).
     */
    @Test
    void theAgentReadsItsSecretFromAFileNeverFromArgvOrEnvironment() throws Exception {
        Path dir = Files.createTempDirectory("agent");
        String hex = "4f1c0e9a7b2d3c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";
        Path secret = Files.writeString(dir.resolve("secret"), hex);
        Path stub = dir.resolve("jenkins-agent");
        Files.writeString(stub, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + dir.resolve("argv") + "\"\nenv > \""
                + dir.resolve("env") + "\"\n");
        stub.toFile().setExecutable(true);
        String connect = GroovySourcesTest.read(JENKINS.resolve("agents/connect.sh"))
                .replace("/usr/local/bin/jenkins-agent", stub.toString());
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", connect).redirectErrorStream(true);
        pb.environment().put("EVERBIT_AGENT_SECRET_FILE", secret.toString());
        pb.environment().put("JENKINS_SECRET", hex);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(Files.readAllLines(dir.resolve("argv"))).containsExactly("-secret", "@" + secret);
        assertThat(Files.readString(dir.resolve("env"))).doesNotContain(hex).doesNotContain("JENKINS_SECRET");

        String hook = GroovySourcesTest.read(JENKINS.resolve("init.groovy.d/everbit-setup.groovy"));
        assertThat(hook).contains("fromString('r--------')", "ATOMIC_MOVE");
    }

    /** Jenkins itself checks a webhook event's signature, with a secret text of the system store. */
    @Test
    void jenkinsChecksTheGithubHookSecretToo() throws IOException {
        List<Map<String, Object>> hookSecrets = at(casc(), "unclassified", "githubpluginconfig", "hookSecretConfigs");
        String id = (String) hookSecrets.get(0).get("credentialsId");
        List<Map<String, Object>> system = at(casc(), "credentials", "system", "domainCredentials");
        List<Map<String, Object>> credentials = at(system.get(0), "credentials");
        assertThat(credentials).anySatisfy(c -> assertThat((Object) at(c, "string", "id")).isEqualTo(id));
        assertThat(Files.readAllLines(JENKINS.resolve("plugins.txt"))).anyMatch(l -> l.startsWith("github:"));
    }

    @Test
    void theSecretsCheckAcceptsOnlyFilesThatUid1000CanReadAndNobodyElse() throws Exception {
        Path dir = Files.createTempDirectory("secrets");
        List<String> names = List.of("jenkins-admin-password", "github-read-token", "github-webhook-secret", "ghcr-token", "ghcr-pull-token", "everbit-vm-ssh-key",
                "everbit-vm-known-hosts");
        assertThat(at(yaml(JENKINS.resolve("compose.yaml")), "secrets").toString()).contains(names);
        for (String name : names) {
            Files.writeString(dir.resolve(name), "value-" + name);
            Files.setPosixFilePermissions(dir.resolve(name), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        // Created by root with chmod 600, as README's earlier advice did: Jenkins (uid 1000) cannot read them.
        String refused = checkSecrets(dir, 1);
        assertThat(refused).contains("not readable by uid 1000").doesNotContain("value-");

        for (String name : names) {
            Files.setAttribute(dir.resolve(name), "unix:uid", 1000);
            Files.setPosixFilePermissions(dir.resolve(name), java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        }
        assertThat(checkSecrets(dir, 0)).contains("readable by uid 1000 only");

        Files.setPosixFilePermissions(dir.resolve("ghcr-token"), java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        assertThat(checkSecrets(dir, 1)).contains("readable by others", "ghcr-token");
        Files.delete(dir.resolve("ghcr-token"));
        assertThat(checkSecrets(dir, 1)).contains("missing").contains("ghcr-token");
    }

    private static String checkSecrets(Path dir, int expectedExit) throws Exception {
        Process process = new ProcessBuilder(JENKINS.resolve("check-secrets.sh").toString(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isEqualTo(expectedExit);
        return output;
    }

    @Test
    void noPrivateAddressIsWrittenAnywhere() throws IOException {
        Pattern privateV4 = Pattern.compile("\\b(10\\.\\d{1,3}|172\\.(1[6-9]|2\\d|3[01])|192\\.168)\\.\\d{1,3}\\.\\d{1,3}\\b");
        List<Path> files;
        try (Stream<Path> all = Stream.of("deploy", "docs", "vars", "resources", "src/kr").map(REPO::resolve)
                .filter(Files::isDirectory).flatMap(JenkinsServerConfigTest::walk)) {
            files = new ArrayList<>(all.toList());
        }
        files.add(REPO.resolve("Jenkinsfile"));
        assertThat(files).allSatisfy(file -> assertThat(privateV4.matcher(GroovySourcesTest.read(file)).find())
                .as(REPO.relativize(file).toString()).isFalse());
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String text(Document xml, String tag) {
        return xml.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    private static void collectStrings(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> collectStrings(value, into));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectStrings(item, into));
        } else if (node != null) {
            into.add(node.toString());
        }
    }

    private static void collectSecrets(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if (SECRET_FIELDS.contains(String.valueOf(key))) {
                    into.add(String.valueOf(value));
                } else {
                    collectSecrets(value, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectSecrets(item, into));
        }
    }
}
