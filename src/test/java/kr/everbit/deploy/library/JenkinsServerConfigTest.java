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

    @Test
    void jenkinsPublishesItsPortOnLoopbackOnly() throws IOException {
        Map<String, Object> jenkins = compose();
        List<Object> ports = at(jenkins, "ports");

        assertThat(ports).isNotEmpty().allSatisfy(port -> assertThat(String.valueOf(port)).matches("127\\.0\\.0\\.1:\\d+:\\d+"));
        assertThat(ports).contains("127.0.0.1:8080:8080");
        assertThat(jenkins).doesNotContainKey("network_mode");
        assertThat(at(casc(), "jenkins", "slaveAgentPort").toString()).isEqualTo("-1");
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
        assertThat(GroovySourcesTest.read(JENKINS.resolve("Dockerfile"))).contains("FROM jenkins/jenkins:lts-jdk17");
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
                .matches("\\$\\{readFile:/run/secrets/[a-z-]+}"));
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

        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ghcr", "usernamePassword", "everbit-vm-ssh", "basicSSHUserPrivateKey", "everbit-vm-known-hosts", "file"));
        assertThat(secretValues).hasSize(3).allSatisfy(value -> assertThat(value).matches("\\$\\{[^}]+}"));
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

        Matcher m = REFERENCE.matcher(cascText);
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
            assertThat((Object) at(library, "retriever", "modernSCM", "scm", "git", "credentialsId")).isEqualTo("ghcr");
        });
    }

    @Test
    void bothJobsAreDefinedAndTheRollbackDefinitionsAgree() throws Exception {
        List<Map<String, Object>> jobs = at(casc(), "jobs");
        List<String> scripts = jobs.stream().map(j -> j.get("script").toString()).toList();

        assertThat(scripts).hasSize(2);
        String deploy = scripts.stream().filter(s -> s.contains("multibranchPipelineJob('Deploy')")).findFirst().orElseThrow();
        String rollback = scripts.stream().filter(s -> s.contains("pipelineJob('Rollback')")).findFirst().orElseThrow();
        assertThat(deploy).contains("scriptPath('Jenkinsfile')", "gitHubPullRequestDiscovery");
        assertThat(rollback).contains("stringParam('SHA', 'previous'", "scriptPath('" + JenkinsfilesTest.ROLLBACK + "')");
        assertThat(REPO.resolve(JenkinsfilesTest.ROLLBACK)).isRegularFile();
        for (String script : scripts) {
            assertThat(GroovySourcesTest.compile("casc-job", script)).isNull();
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
                "-N -o ExitOnForwardFailure=yes -L 127.0.0.1:8080:127.0.0.1:8080 ubuntu@api.everbit.kr");
        assertThat(tunnelArguments(Map.of("EVERBIT_TUNNEL_PORT", "18080", "EVERBIT_SSH_KEY", "/home/me/.ssh/everbit"),
                "deploy@vm.example.org")).isEqualTo(
                "-i /home/me/.ssh/everbit -N -o ExitOnForwardFailure=yes -L 127.0.0.1:18080:127.0.0.1:8080 deploy@vm.example.org");
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
