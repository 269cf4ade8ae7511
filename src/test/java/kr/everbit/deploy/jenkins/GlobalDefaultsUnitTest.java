package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import java.util.List;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import org.junit.jupiter.api.Test;

/** Every optional step parameter falls back to "Everbit deploy" in the global configuration. */
class GlobalDefaultsUnitTest {
    private static final String HOST_KEY = "[vm.everbit.test]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample";

    static EverbitGlobalConfiguration everbit() {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setHost("api.everbit.kr");
        c.setUser("ubuntu");
        c.setSshCredentialsId("vm-deploy-key");
        c.setKnownHosts(HOST_KEY);
        c.setDir("~/everbit");
        c.setComposeFiles("docker/compose.yaml\ndocker/compose.prod.yaml");
        c.setService("server");
        c.setImage("ghcr.io/everbit/server");
        c.setRegistryCredentialsId("ghcr-pull");
        return c;
    }

    @Test
    void theConfigurationHasTheStandardsDefaults() {
        EverbitGlobalConfiguration empty = new EverbitGlobalConfiguration();
        assertThat(empty.getPort()).isEqualTo(22);
        assertThat(empty.getRetain()).isEqualTo(5);
        assertThat(empty.getLockTimeout()).isEqualTo(120);
        assertThat(empty.getHealthTimeout()).isEqualTo(120);
        assertThat(empty.composeFileList()).isEmpty();
        assertThat(empty.getDisplayName()).isEqualTo("Everbit deploy");
    }

    @Test
    void aStepWithOnlyAShaTakesEverythingElseFromTheConfiguration() throws AbortException {
        VmSettings s = new SshComposeUpStep("abc1234").settings(everbit());
        assertThat(s.host()).isEqualTo("api.everbit.kr");
        assertThat(s.port()).isEqualTo(22);
        assertThat(s.sshCredentialsId()).isEqualTo("vm-deploy-key");
        assertThat(s.knownHosts()).isEqualTo(HOST_KEY);
        assertThat(s.dir()).isEqualTo("~/everbit");
        assertThat(s.composeFiles()).containsExactly("docker/compose.yaml", "docker/compose.prod.yaml");
        assertThat(s.service()).isEqualTo("server");
        assertThat(s.image()).isEqualTo("ghcr.io/everbit/server");
    }

    @Test
    void theStepsOwnValuesWin() throws AbortException {
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setHost("203.0.113.7");
        step.setPort(2222);
        step.setComposeFiles(List.of("compose.yaml"));
        step.setKnownHostsCredentialsId("vm-known-hosts");
        step.setLockTimeout(5);
        VmSettings s = step.settings(everbit());
        assertThat(s.host()).isEqualTo("203.0.113.7");
        assertThat(s.port()).isEqualTo(2222);
        assertThat(s.composeFiles()).containsExactly("compose.yaml");
        assertThat(s.knownHosts()).as("the step names its host keys, so the global text is not used").isNull();
        assertThat(s.knownHostsCredentialsId()).isEqualTo("vm-known-hosts");
        assertThat(step.lockTimeout(everbit())).isEqualTo(5);
        assertThat(step.healthTimeout(everbit())).isEqualTo(120);
    }

    @Test
    void theSshUserIsTheStepsThenTheKeysThenTheConfigurations() throws AbortException {
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        assertThat(step.settings(everbit()).userFor("deploy")).isEqualTo("deploy");
        assertThat(step.settings(everbit()).userFor(null)).isEqualTo("ubuntu");
        step.setUser("admin");
        assertThat(step.settings(everbit()).userFor("deploy")).isEqualTo("admin");
    }

    /**
     * Target swarm from the step or the page: the stack goes with it, checked before anything is contacted, as the
     * CLI checks --target and --stack; what swarm does not do is refused the same way.
     */
    @Test
    void targetSwarmTakesItsStackFromTheStepOrThePageCheckedBeforeContact() throws AbortException {
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setTarget("swarm");
        step.setStack("everbit");
        VmSettings swarm = step.settings(everbit());
        assertThat(swarm.swarm()).isTrue();
        assertThat(swarm.stack()).isEqualTo("everbit");
        assertThatThrownBy(() -> VmStep.refuseOnSwarm(swarm, true, "switch: 'proxy'"))
                .hasMessage("switch: 'proxy' is not available with target: 'swarm'");
        EverbitGlobalConfiguration page = everbit();
        page.setTarget("swarm");
        assertThatThrownBy(() -> new RollbackToShaStep("previous").settings(page))
                .hasMessageStartingWith("target: 'swarm' needs stack: NAME");
        page.setStack("Bad Name");
        assertThatThrownBy(() -> new RollbackToShaStep("previous").settings(page)).hasMessageContaining("is not a stack name");
        page.setStack("shop");
        assertThat(new EverbitReleasesStep().settings(page).stack()).isEqualTo("shop");
        page.setTarget("kubernetes");
        assertThatThrownBy(() -> new VerifyHealthStep().settings(page)).hasMessageContaining("must be 'compose' or 'swarm'");
        page.setTarget(null);
        assertThatThrownBy(() -> new VerifyHealthStep().settings(page)).hasMessage("stack: is for target: 'swarm'");
        page.setStack(null);
        VmSettings compose = new SshComposeUpStep("abc1234").settings(page);
        assertThat(compose.host()).isEqualTo("api.everbit.kr");
        assertThat(compose.swarm()).isFalse();
    }

    @Test
    void aSettingGivenNowhereIsNamed() {
        EverbitGlobalConfiguration c = everbit();
        c.setHost(null);
        assertThatThrownBy(() -> new SshComposeUpStep("abc1234").settings(c))
                .isInstanceOf(AbortException.class)
                .hasMessage("host: is not set: give it to the step, or set a default in Manage Jenkins » System » Everbit deploy");
        c.setHost("api.everbit.kr");
        c.setComposeFiles("");
        assertThatThrownBy(() -> new RollbackToShaStep("previous").settings(c)).hasMessageStartingWith("composeFiles: is not set");
    }

    @Test
    void hostKeysAreAlwaysRequiredAndComeFromOnePlace() {
        EverbitGlobalConfiguration c = everbit();
        c.setKnownHosts(null);
        assertThatThrownBy(() -> new EverbitReleasesStep().settings(c)).hasMessageStartingWith("knownHosts: is not set");
        EverbitReleasesStep both = new EverbitReleasesStep();
        both.setKnownHosts(HOST_KEY);
        both.setKnownHostsCredentialsId("vm-known-hosts");
        assertThatThrownBy(() -> both.settings(everbit())).hasMessage("give knownHosts: or knownHostsCredentialsId:, not both");
    }

    @Test
    void restartModeIsTheDefaultAndIgnoresTheProxyOptions() throws AbortException {
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setProxyHost("127.0.0.1");
        assertThat(step.proxy(everbit())).isNull();
        step.setSwitch("restart");
        assertThat(step.proxy(everbit())).isNull();
    }

    @Test
    void proxyModeTakesTheStepsValuesThenTheConfigurationsThenTheSettingsDefaults() throws AbortException {
        EverbitGlobalConfiguration c = everbit();
        c.setSwitch("proxy");
        assertThat(new RollbackToShaStep("previous").proxy(c)).as("only the mode set, once for the team")
                .isEqualTo(ProxySettings.defaults());
        c.setProxyReload("docker compose exec -T nginx nginx -s reload");
        c.setProxyHost("127.0.0.1");
        c.setProxyPort("8081, 8082");
        c.setWarm(300);
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setProxyPort(List.of(9001, 9002));
        step.setDrain(2);
        step.setProxyPortEnv("SERVER_PORT");
        assertThat(step.proxy(c)).isEqualTo(new ProxySettings(".everbit/nginx/upstream.conf", "nginx -t",
                "docker compose exec -T nginx nginx -s reload", "127.0.0.1", 9001, 9002, "SERVER_PORT", 2, 300));
        assertThat(new RollbackToShaStep("previous").proxy(c)).extracting(ProxySettings::bluePort, ProxySettings::greenPort,
                ProxySettings::drainSeconds).containsExactly(8081, 8082, 10);
    }

    @Test
    void theStartRulesTakeTheStepsValuesThenTheConfigurationsThenTheSettingsDefaults() {
        EverbitGlobalConfiguration c = everbit();
        assertThat(new SshComposeUpStep("abc1234").startRules(c)).isEqualTo(StartRules.defaults());
        c.setReadyPath("/actuator/health");
        c.setStartSettle(5);
        assertThat(new RollbackToShaStep("previous").startRules(c)).isEqualTo(new StartRules("/actuator/health", 5));
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setReadyPath("/ready");
        step.setStartSettle(0);
        assertThat(step.startRules(c)).isEqualTo(new StartRules("/ready", 0));
        c.setStartSettle(null);
        assertThat(c.getStartSettle()).as("a cleared field is the default again").isEqualTo(3);
    }

    @Test
    void aProxyModeTheEngineRefusesIsRefusedBeforeTheVmIsContacted() {
        SshComposeUpStep step = new SshComposeUpStep("abc1234");
        step.setSwitch("blue-green");
        assertThatThrownBy(() -> step.proxy(everbit())).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(StepFailure.inStepTerms(e.getMessage(), java.util.Map.of()))
                        .isEqualTo("switch: 'blue-green' must be 'restart' or 'proxy'"));
        step.setSwitch("proxy");
        step.setProxyPort(List.of(8081, 8082, 8083));
        assertThatThrownBy(() -> step.proxy(everbit())).hasMessageContaining("not 3");
        step.setProxyPort(List.of(8081));
        step.setProxyHost("127.0.0.1");
        assertThatThrownBy(() -> step.proxy(everbit()))
                .satisfies(e -> assertThat(StepFailure.inStepTerms(e.getMessage(), java.util.Map.of()))
                        .startsWith("proxyPort:").contains("with proxyHost: both slots share one address"));
        EverbitGlobalConfiguration c = everbit();
        c.setSwitch("proxy");
        c.setProxyPort("8081 8082");
        assertThatThrownBy(() -> new SshComposeUpStep("abc1234").proxy(c)).isInstanceOf(AbortException.class)
                .hasMessage("Slot ports: '8081 8082' is not a whole number");
    }
}
