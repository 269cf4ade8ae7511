package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import java.util.List;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.health.ProbeUrls;
import kr.everbit.deploy.engine.health.ServiceNames;
import kr.everbit.deploy.engine.health.TcpProbe;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.StartRules;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.ssh.SshTarget;

/**
 * The checks behind the "Everbit deploy" page, as plain functions: each returns what is wrong with a value, the
 * setting named by its field's label ({@link GlobalFields}), or null when it is fine (an empty optional field is
 * fine). Each asks the engine's rule for that one setting, so that the page accepts exactly what a deploy accepts.
 */
final class ConfigChecks {
    private ConfigChecks() {
    }

    static String host(String value) {
        return blank(value) ? null : engine(() -> SshTarget.checkHost(value.strip()));
    }

    static String user(String value) {
        return blank(value) ? null : engine(() -> SshTarget.checkUser(value.strip()));
    }

    static String port(String value) {
        return number(Setting.PORT, value);
    }

    static String dir(String value) {
        return blank(value) ? null : engine(() -> ComposeProject.checkDir(value.strip()));
    }

    static String composeFiles(List<String> files) {
        return files.isEmpty() ? null : engine(() -> ComposeProject.checkFiles(files));
    }

    static String service(String value) {
        return blank(value) ? null : engine(() -> ComposeProject.checkService(value.strip()));
    }

    static String image(String value) {
        return blank(value) ? null : engine(() -> ImageRef.of(value.strip()));
    }

    static String knownHosts(String value) {
        if (blank(value)) {
            return null;
        }
        try {
            KnownHostsFile.checked("knownHosts", value);
            return null;
        } catch (AbortException e) {
            return e.getMessage();
        }
    }

    static String retain(String value) {
        return number(Setting.RETAIN, value);
    }

    static String lockTimeout(String value) {
        return number(Setting.LOCK_TIMEOUT, value);
    }

    static String healthTimeout(String value) {
        return number(Setting.HEALTH_TIMEOUT, value);
    }

    static String readyPath(String value) {
        return blank(value) ? null : engine(() -> StartRules.readyPath(value.strip()));
    }

    static String startSettle(String value) {
        return number(Setting.START_SETTLE, value);
    }

    static String verifyTimeout(String value) {
        return number(Setting.TIMEOUT, value);
    }

    static String settle(String value) {
        return number(Setting.SETTLE, value);
    }

    static String switchMode(String value) {
        return blank(value) ? null : engine(() -> Setting.SWITCH.choice(value.strip()));
    }

    static String proxyUpstream(String value) {
        return blank(value) ? null : engine(() -> ProxySettings.upstreamFile(value.strip()));
    }

    static String proxyTest(String value) {
        return blank(value) ? null : engine(() -> ProxySettings.command(Setting.PROXY_TEST, value.strip()));
    }

    static String proxyReload(String value) {
        return blank(value) ? null : engine(() -> ProxySettings.command(Setting.PROXY_RELOAD, value.strip()));
    }

    static String proxyHost(String value) {
        return blank(value) ? null : engine(() -> ProxySettings.host(value.strip()));
    }

    static String proxyPortEnv(String value) {
        return blank(value) ? null : engine(() -> ProxySettings.portEnv(value.strip()));
    }

    /** One port for both slots, or two (blue's, then green's). */
    static String proxyPort(String value) {
        List<String> ports = Settings.lines(value);
        for (String port : ports) {
            String problem = number(Setting.PROXY_PORT, port);
            if (problem != null) {
                return problem;
            }
        }
        return engine(() -> ProxySettings.ports(ports.stream().map(p -> Integer.valueOf(p.strip())).toList()));
    }

    static String drain(String value) {
        return number(Setting.DRAIN, value);
    }

    static String warm(String value) {
        return number(Setting.WARM, value);
    }

    /** @param setting what these URLs are ({@link Setting#URL}, {@link Setting#REMOTE_URL}, {@link Setting#PROMETHEUS}) */
    static String urls(Setting setting, List<String> urls) {
        return engine(() -> urls.forEach(u -> ProbeUrls.parse(setting.ref(), u)));
    }

    static String services(List<String> services) {
        return engine(() -> services.forEach(s -> ServiceNames.require(Setting.CONTAINER.ref(), s)));
    }

    static String tcp(List<String> targets) {
        return engine(() -> targets.forEach(TcpProbe.Spec::parse));
    }

    static String prometheusMax(String value) {
        try {
            double max = Double.parseDouble(value.strip());
            return Double.isFinite(max) ? null : Texts.get("config.prometheusMax", value.strip());
        } catch (NumberFormatException e) {
            return Texts.get("config.prometheusMax", value.strip());
        }
    }

    private static String number(Setting setting, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return GlobalFields.render(setting.problem(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Texts.get("config.notANumber", GlobalFields.label(setting), value.strip());
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String engine(Runnable check) {
        try {
            check.run();
            return null;
        } catch (InvalidInputException e) {
            return GlobalFields.render(e.getMessage());
        }
    }
}
