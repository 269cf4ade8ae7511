package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import hudson.Extension;
import hudson.ExtensionList;
import java.util.List;
import kr.everbit.deploy.engine.settings.Setting;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "Everbit deploy" under Manage Jenkins » System: the defaults every step falls back to, so that a Jenkinsfile can
 * say {@code sshComposeUp(sha: env.GIT_COMMIT)} and nothing else. Only IDs of credentials are kept here.
 */
@Extension
@Symbol("everbitDeploy")
public class EverbitGlobalConfiguration extends ConfigurationForm {
    static final int DEFAULT_PORT = Setting.PORT.defaultInt();
    static final int DEFAULT_RETAIN = Setting.RETAIN.defaultInt();
    static final int DEFAULT_LOCK_TIMEOUT = Setting.LOCK_TIMEOUT.defaultInt();
    static final int DEFAULT_HEALTH_TIMEOUT = Setting.HEALTH_TIMEOUT.defaultInt();
    static final int DEFAULT_START_SETTLE = Setting.START_SETTLE.defaultInt();
    static final int DEFAULT_VERIFY_TIMEOUT = Setting.TIMEOUT.defaultInt();
    static final int DEFAULT_SETTLE = Setting.SETTLE.defaultInt();
    static final int DEFAULT_DRAIN = Setting.DRAIN.defaultInt();
    static final int DEFAULT_WARM = Setting.WARM.defaultInt();
    private String host;
    private int port = DEFAULT_PORT;
    private String user;
    private String dir;
    private String composeFiles;
    private String service;
    private String image;
    private String sshCredentialsId;
    private String knownHosts;
    private String knownHostsCredentialsId;
    private String registryCredentialsId;
    private String registryUsername;
    private String pullCredentialsId;
    private int retain = DEFAULT_RETAIN;
    private int lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private int healthTimeout = DEFAULT_HEALTH_TIMEOUT;
    private String readyPath;
    private int startSettle = DEFAULT_START_SETTLE;
    private String healthUrls;
    private String remoteHealthUrls;
    private String healthContainers;
    private String healthTcp;
    private String prometheusUrl;
    private String prometheusQuery;
    private String prometheusMax;
    private boolean prometheusViaSsh;
    private int verifyTimeout = DEFAULT_VERIFY_TIMEOUT;
    private int settle = DEFAULT_SETTLE;
    /** The {@code switch} field (a Java keyword, hence the name); null: restart. */
    private String switchMode;
    /** Null: compose. */
    private String target;
    private String stack;
    private String proxyUpstream;
    private String proxyTest;
    private String proxyReload;
    private String proxyHost;
    private String proxyPort;
    private String proxyPortEnv;
    private int drain = DEFAULT_DRAIN;
    private int warm = DEFAULT_WARM;

    public EverbitGlobalConfiguration() {
        load();
    }

    public static EverbitGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return Texts.get("config.displayName");
    }

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = Settings.blankToNull(host);
        save();
    }

    public Integer getPort() {
        return port;
    }

    /**
     * A cleared field (null) is the default again, not 0. Getter and setter of a number field share the boxed type:
     * Stapler binds the page through commons-beanutils, whose JDK Introspector drops a setter whose type differs
     * from the getter's, and then skips the field without a word.
     */
    @DataBoundSetter
    public void setPort(Integer port) {
        this.port = port == null ? DEFAULT_PORT : port;
        save();
    }

    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = Settings.blankToNull(user);
        save();
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Settings.blankToNull(dir);
        save();
    }

    /** One file per line, relative to the deploy dir, in compose's -f order. */
    public String getComposeFiles() {
        return composeFiles;
    }

    public List<String> composeFileList() {
        return Settings.lines(composeFiles);
    }

    @DataBoundSetter
    public void setComposeFiles(String composeFiles) {
        this.composeFiles = Settings.blankToNull(composeFiles);
        save();
    }

    public String getService() {
        return service;
    }

    @DataBoundSetter
    public void setService(String service) {
        this.service = Settings.blankToNull(service);
        save();
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Settings.blankToNull(image);
        save();
    }

    public String getSshCredentialsId() {
        return sshCredentialsId;
    }

    @DataBoundSetter
    public void setSshCredentialsId(String sshCredentialsId) {
        this.sshCredentialsId = Settings.blankToNull(sshCredentialsId);
        save();
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        this.knownHosts = Settings.blankToNull(knownHosts);
        save();
    }

    public String getKnownHostsCredentialsId() {
        return knownHostsCredentialsId;
    }

    @DataBoundSetter
    public void setKnownHostsCredentialsId(String knownHostsCredentialsId) {
        this.knownHostsCredentialsId = Settings.blankToNull(knownHostsCredentialsId);
        save();
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Settings.blankToNull(registryCredentialsId);
        save();
    }

    public String getRegistryUsername() {
        return registryUsername;
    }

    @DataBoundSetter
    public void setRegistryUsername(String registryUsername) {
        this.registryUsername = Settings.blankToNull(registryUsername);
        save();
    }

    /** The VM's own read-only registry credential; null: the VM pulls with the registry credentials. */
    public String getPullCredentialsId() {
        return pullCredentialsId;
    }

    @DataBoundSetter
    public void setPullCredentialsId(String pullCredentialsId) {
        this.pullCredentialsId = Settings.blankToNull(pullCredentialsId);
        save();
    }

    public Integer getRetain() {
        return retain;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setRetain(Integer retain) {
        this.retain = retain == null ? DEFAULT_RETAIN : retain;
        save();
    }

    public Integer getLockTimeout() {
        return lockTimeout;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setLockTimeout(Integer lockTimeout) {
        this.lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
        save();
    }

    public Integer getHealthTimeout() {
        return healthTimeout;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setHealthTimeout(Integer healthTimeout) {
        this.healthTimeout = healthTimeout == null ? DEFAULT_HEALTH_TIMEOUT : healthTimeout;
        save();
    }

    /** The HTTP path a new proxy slot must answer 2xx on before Nginx sends to it; null: a TCP connect alone. */
    public String getReadyPath() {
        return readyPath;
    }

    @DataBoundSetter
    public void setReadyPath(String readyPath) {
        this.readyPath = Settings.blankToNull(readyPath);
        save();
    }

    /** Integer both ways, so that Stapler binds the field (getter and setter of one type). */
    public Integer getStartSettle() {
        return startSettle;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setStartSettle(Integer startSettle) {
        this.startSettle = startSettle == null ? DEFAULT_START_SETTLE : startSettle;
        save();
    }

    /** verifyHealth's URLs fetched from the agent (the public side, e.g. https://api.everbit.kr/), one per line. */
    public String getHealthUrls() {
        return healthUrls;
    }

    public List<String> healthUrlList() {
        return Settings.lines(healthUrls);
    }

    @DataBoundSetter
    public void setHealthUrls(String healthUrls) {
        this.healthUrls = Settings.blankToNull(healthUrls);
        save();
    }

    /** verifyHealth's URLs fetched on the VM (the actuator on 127.0.0.1), one per line. */
    public String getRemoteHealthUrls() {
        return remoteHealthUrls;
    }

    public List<String> remoteHealthUrlList() {
        return Settings.lines(remoteHealthUrls);
    }

    @DataBoundSetter
    public void setRemoteHealthUrls(String remoteHealthUrls) {
        this.remoteHealthUrls = Settings.blankToNull(remoteHealthUrls);
        save();
    }

    /** Compose services whose containers must run and be healthy, one per line. */
    public String getHealthContainers() {
        return healthContainers;
    }

    public List<String> healthContainerList() {
        return Settings.lines(healthContainers);
    }

    @DataBoundSetter
    public void setHealthContainers(String healthContainers) {
        this.healthContainers = Settings.blankToNull(healthContainers);
        save();
    }

    /** HOST:PORT targets that must accept a TCP connection from the VM, one per line. */
    public String getHealthTcp() {
        return healthTcp;
    }

    public List<String> healthTcpList() {
        return Settings.lines(healthTcp);
    }

    @DataBoundSetter
    public void setHealthTcp(String healthTcp) {
        this.healthTcp = Settings.blankToNull(healthTcp);
        save();
    }

    public String getPrometheusUrl() {
        return prometheusUrl;
    }

    @DataBoundSetter
    public void setPrometheusUrl(String prometheusUrl) {
        this.prometheusUrl = Settings.blankToNull(prometheusUrl);
        save();
    }

    public String getPrometheusQuery() {
        return prometheusQuery;
    }

    @DataBoundSetter
    public void setPrometheusQuery(String prometheusQuery) {
        this.prometheusQuery = Settings.blankToNull(prometheusQuery);
        save();
    }

    /** Kept as text, so that "not set" differs from 0. */
    public String getPrometheusMax() {
        return prometheusMax;
    }

    @DataBoundSetter
    public void setPrometheusMax(String prometheusMax) {
        this.prometheusMax = Settings.blankToNull(prometheusMax);
        save();
    }

    /** The Prometheus limit of this page, when its URL and query are set; fails when its limit is missing. */
    public List<PrometheusLimit> prometheusLimits() throws AbortException {
        if (prometheusUrl == null || prometheusQuery == null) {
            return List.of();
        }
        String problem = ConfigChecks.prometheusMax(Required.value("prometheusMax", prometheusMax));
        if (problem != null) {
            throw new AbortException(problem);
        }
        return List.of(new PrometheusLimit(prometheusUrl, prometheusQuery, Double.parseDouble(prometheusMax)));
    }

    public boolean isPrometheusViaSsh() {
        return prometheusViaSsh;
    }

    @DataBoundSetter
    public void setPrometheusViaSsh(boolean prometheusViaSsh) {
        this.prometheusViaSsh = prometheusViaSsh;
        save();
    }

    public Integer getVerifyTimeout() {
        return verifyTimeout;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setVerifyTimeout(Integer verifyTimeout) {
        this.verifyTimeout = verifyTimeout == null ? DEFAULT_VERIFY_TIMEOUT : verifyTimeout;
        save();
    }

    public Integer getSettle() {
        return settle;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setSettle(Integer settle) {
        this.settle = settle == null ? DEFAULT_SETTLE : settle;
        save();
    }

    /** What runs the service: compose (the default) or swarm, which the steps refuse so far. */
    public String getTarget() {
        return target != null ? target : Setting.TARGET.defaultText();
    }

    @DataBoundSetter
    public void setTarget(String target) {
        this.target = Settings.blankToNull(target);
        save();
    }

    public String getStack() {
        return stack;
    }

    @DataBoundSetter
    public void setStack(String stack) {
        this.stack = Settings.blankToNull(stack);
        save();
    }

    /** How a release replaces the live one: restart (the default) or proxy. */
    public String getSwitch() {
        return switchMode != null ? switchMode : Setting.SWITCH.defaultText();
    }

    @DataBoundSetter
    public void setSwitch(String switchMode) {
        this.switchMode = Settings.blankToNull(switchMode);
        save();
    }

    /** Null: the setting's default ({@link Setting#PROXY_UPSTREAM}), as for the test and reload commands. */
    public String getProxyUpstream() {
        return proxyUpstream;
    }

    @DataBoundSetter
    public void setProxyUpstream(String proxyUpstream) {
        this.proxyUpstream = Settings.blankToNull(proxyUpstream);
        save();
    }

    public String getProxyTest() {
        return proxyTest;
    }

    @DataBoundSetter
    public void setProxyTest(String proxyTest) {
        this.proxyTest = Settings.blankToNull(proxyTest);
        save();
    }

    public String getProxyReload() {
        return proxyReload;
    }

    @DataBoundSetter
    public void setProxyReload(String proxyReload) {
        this.proxyReload = Settings.blankToNull(proxyReload);
        save();
    }

    public String getProxyHost() {
        return proxyHost;
    }

    @DataBoundSetter
    public void setProxyHost(String proxyHost) {
        this.proxyHost = Settings.blankToNull(proxyHost);
        save();
    }

    /** One port for both slots, or blue's and green's separated by a comma; null: the setting's default. */
    public String getProxyPort() {
        return proxyPort;
    }

    /** The ports of this page (the setting's default when the field is empty); fails on a field that is no port list. */
    public List<Integer> proxyPortList() throws AbortException {
        if (proxyPort == null) {
            return List.of(Setting.PROXY_PORT.defaultInt());
        }
        String problem = ConfigChecks.proxyPort(proxyPort);
        if (problem != null) {
            throw new AbortException(problem);
        }
        return Settings.lines(proxyPort).stream().map(Integer::valueOf).toList();
    }

    @DataBoundSetter
    public void setProxyPort(String proxyPort) {
        this.proxyPort = Settings.blankToNull(proxyPort);
        save();
    }

    public String getProxyPortEnv() {
        return proxyPortEnv;
    }

    @DataBoundSetter
    public void setProxyPortEnv(String proxyPortEnv) {
        this.proxyPortEnv = Settings.blankToNull(proxyPortEnv);
        save();
    }

    public Integer getDrain() {
        return drain;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setDrain(Integer drain) {
        this.drain = drain == null ? DEFAULT_DRAIN : drain;
        save();
    }

    public Integer getWarm() {
        return warm;
    }

    /** A cleared field (null) is the default again, not 0. */
    @DataBoundSetter
    public void setWarm(Integer warm) {
        this.warm = warm == null ? DEFAULT_WARM : warm;
        save();
    }
}
