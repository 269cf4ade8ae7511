package kr.everbit.deploy.cli;

import java.util.List;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.settings.Setting;
import picocli.CommandLine.Option;

/** The switch mode of the commands that change what runs: restart (the default) or through the operator's Nginx. */
final class ProxyOptions {
    @Option(names = "--switch", defaultValue = "restart", paramLabel = "restart|proxy",
            description = "restart: compose recreates the service (stop first); proxy: the new release starts beside the"
                    + " live one and Nginx is switched to it once healthy (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--proxy-upstream", defaultValue = ".everbit/nginx/upstream.conf", paramLabel = "FILE",
            description = "The upstream file the tool owns on the VM, included by Nginx inside an upstream block;"
                    + " relative to --dir or absolute (default: ${DEFAULT-VALUE}).")
    String upstream;

    @Option(names = "--proxy-test", defaultValue = "nginx -t", paramLabel = "COMMAND",
            description = "The VM's command that checks Nginx's configuration (default: ${DEFAULT-VALUE}).")
    String test;

    @Option(names = "--proxy-reload", defaultValue = "nginx -s reload", paramLabel = "COMMAND",
            description = "The VM's command that reloads Nginx gracefully, e.g. 'docker compose exec -T nginx nginx -s reload'"
                    + " (default: ${DEFAULT-VALUE}).")
    String reload;

    @Option(names = "--proxy-swap", defaultValue = "reload", paramLabel = "reload|flag",
            description = "How Nginx is pointed at the new slot. reload: the upstream file, --proxy-test and --proxy-reload;"
                    + " flag: no reload, the flag file --proxy-flag that Nginx's configuration reads on each request, confirmed"
                    + " by --proxy-confirm-url (default: ${DEFAULT-VALUE}).")
    String swap;

    @Option(names = "--proxy-flag", defaultValue = ".everbit/nginx/green.live", paramLabel = "FILE",
            description = "With --proxy-swap flag: the file the tool owns on the VM whose presence makes Nginx send to slot"
                    + " green (absent: blue); relative to --dir or absolute (default: ${DEFAULT-VALUE}).")
    String flag;

    @Option(names = "--proxy-confirm-url", paramLabel = "URL",
            description = "With --proxy-swap flag: a URL the VM reaches the service at through Nginx (e.g."
                    + " http://127.0.0.1/actuator/health); the switch counts once its answer's X-Everbit-Slot header"
                    + " names the new slot.")
    String confirmUrl;

    @Option(names = "--proxy-host", paramLabel = "HOST",
            description = "The address Nginx reaches both slots at (host network: 127.0.0.1); default: each slot's"
                    + " compose service name (SERVICE-blue, SERVICE-green) on the compose network.")
    String host;

    @Option(names = "--proxy-port", defaultValue = "8080", paramLabel = "PORT",
            description = "The slots' port: once for both (compose network), or twice, blue's then green's (host network)"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Integer> ports;

    @Option(names = "--proxy-port-env", paramLabel = "NAME",
            description = "Set this environment variable of each slot to its port (the app listens on it).")
    String portEnv;

    @Option(names = "--drain", defaultValue = "10", paramLabel = "SECONDS",
            description = "A release out of rotation runs at least this long, for its requests in flight (default: ${DEFAULT-VALUE}).")
    int drain;

    @Option(names = "--warm", defaultValue = "600", paramLabel = "SECONDS",
            description = "The release before keeps running this long after a switch, so that a rollback to it is a swap"
                    + " (0: retired after the drain; default: ${DEFAULT-VALUE}).")
    int warm;

    /** The proxy settings, or null in restart mode; checked before anything is contacted. */
    ProxySettings settings() {
        if ("restart".equals(mode)) {
            return null;
        }
        Setting.SWITCH.choice(mode);
        return ProxySettings.of(upstream, test, reload, host, ports, portEnv, drain, warm)
                .withFlag(ProxySettings.swap(swap, flag, confirmUrl));
    }

    /** Puts the mode on the command's VM. */
    static void apply(Vm vm, ProxySettings settings) {
        if (settings != null) {
            vm.useProxy(settings);
        }
    }
}
