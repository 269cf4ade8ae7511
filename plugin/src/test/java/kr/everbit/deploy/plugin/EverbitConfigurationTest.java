package kr.everbit.deploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.ExtensionList;
import java.util.List;
import kr.everbit.deploy.jenkins.EverbitGlobalConfiguration;
import kr.everbit.deploy.jenkins.TunnelOnlyMonitor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** "Everbit deploy" under Manage Jenkins » System, through the real form; needs no sandbox. */
@WithJenkins
class EverbitConfigurationTest {
    @Test
    void theGlobalConfigurationSurvivesTheForm(JenkinsRule j) throws Exception {
        EverbitGlobalConfiguration c = ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
        c.setHost("api.everbit.kr");
        c.setPort(2222);
        c.setUser("deploy");
        c.setDir("~/everbit");
        c.setComposeFiles("docker/compose.yaml\ndocker/compose.prod.yaml");
        c.setService("server");
        c.setImage("ghcr.io/everbit/server");
        c.setSshCredentialsId("vm-deploy-key");
        c.setKnownHostsCredentialsId("vm-known-hosts");
        c.setRegistryCredentialsId("ghcr");
        c.setRetain(7);
        c.setHealthTimeout(30);
        c.setHealthUrls("https://api.everbit.kr/");
        c.setPrometheusViaSsh(true);
        c.setVerifyTimeout(90);
        c.setSettle(15);
        c.setSwitch("proxy");
        c.setProxyReload("docker compose exec -T nginx nginx -s reload");
        c.setProxyHost("127.0.0.1");
        c.setProxyPort("8081, 8082");
        c.setProxyPortEnv("SERVER_PORT");
        c.setWarm(300);
        j.configRoundtrip();
        c = ExtensionList.lookupSingleton(EverbitGlobalConfiguration.class);
        assertEquals("api.everbit.kr", c.getHost());
        assertEquals(2222, c.getPort());
        assertEquals("deploy", c.getUser());
        assertEquals("~/everbit", c.getDir());
        assertEquals("docker/compose.yaml\ndocker/compose.prod.yaml", c.getComposeFiles());
        assertEquals("server", c.getService());
        assertEquals("ghcr.io/everbit/server", c.getImage());
        assertEquals("vm-deploy-key", c.getSshCredentialsId(), "a credential ID the store lacks is kept (includeCurrentValue)");
        assertEquals("vm-known-hosts", c.getKnownHostsCredentialsId());
        assertEquals("ghcr", c.getRegistryCredentialsId());
        assertEquals(7, c.getRetain());
        assertEquals(120, c.getLockTimeout());
        assertEquals(30, c.getHealthTimeout());
        assertEquals("https://api.everbit.kr/", c.getHealthUrls());
        assertNull(c.getPrometheusUrl());
        assertTrue(c.isPrometheusViaSsh());
        assertEquals(90, c.getVerifyTimeout());
        assertEquals(15, c.getSettle());
        assertEquals("proxy", c.getSwitch());
        assertNull(c.getProxyUpstream(), "an empty field stays empty: the setting's default applies");
        assertEquals("docker compose exec -T nginx nginx -s reload", c.getProxyReload());
        assertEquals("127.0.0.1", c.getProxyHost());
        assertEquals(List.of(8081, 8082), c.proxyPortList());
        assertEquals("SERVER_PORT", c.getProxyPortEnv());
        assertEquals(10, c.getDrain());
        assertEquals(300, c.getWarm());
    }

    @Test
    void theTunnelMonitorIsASecurityMonitor(JenkinsRule j) {
        TunnelOnlyMonitor monitor = ExtensionList.lookupSingleton(TunnelOnlyMonitor.class);
        assertNotNull(monitor);
        assertTrue(monitor.isSecurity());
    }
}
