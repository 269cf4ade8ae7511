package kr.everbit.deploy.engine.settings;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;

/**
 * Every setting a command takes, defined once: a neutral id, its range and default where it has them, and what it
 * means. The engine's requests check their values here; the doors name a setting in their own terms (the CLI
 * {@code --lock-timeout}, a step {@code lockTimeout:}) and take their defaults and ranges from here. Engine
 * messages name a setting by {@link #ref()}, a token each door renders ({@link SettingText}).
 */
public enum Setting {
    HOST("host", "the VM's host name or address"),
    PORT("port", 1, 65535, "22", "", "the VM's SSH port"),
    USER("user", "the SSH user on the VM"),
    IDENTITY("identity", "the SSH private key (else the ssh-agent)"),
    KNOWN_HOSTS("knownHosts", "the known_hosts lines holding the VM's host key (always checked)"),
    DIR("dir", "the deploy directory on the VM"),
    COMPOSE("compose", "the compose files, relative to the deploy directory, in -f order"),
    SERVICE("service", "the compose service that is released"),
    IMAGE("image", "the image repository; the tag is the release SHA"),
    SHA("sha", "the release: a git SHA, 7 to 40 lowercase hex characters"),
    TO("to", "the release to roll back to: previous or a git SHA"),
    REASON("reason", "why a rollback was made, for the ledger"),
    FAILED_CHECKS("failedChecks", "the release whose checks failed, for an automatic rollback"),
    CONTEXT("context", "the docker build context directory"),
    FILE("file", "the Dockerfile"),
    BUILD_ARG("buildArg", "a docker build argument NAME=VALUE"),
    REGISTRY_USER("registryUser", "the registry user"),
    REGISTRY_TOKEN("registryToken", "the registry token (a file or stdin, never an argument)"),
    PULL_TOKEN("pullToken", "the VM's own read-only registry token for its pulls, used there instead of the registry"
            + " token (a file or stdin, never an argument)"),
    RETAIN("retain", 2, Integer.MAX_VALUE, "5", "", "images of this many newest releases stay on the VM"),
    LOCK_TIMEOUT("lockTimeout", 0, 3600, "120", "seconds", "how long to wait for another deploy's lock"),
    HEALTH_TIMEOUT("healthTimeout", 1, 3600, "120", "seconds", "how long the service has to run and be healthy"),
    READY_PATH("readyPath", "an HTTP path a new slot must answer 2xx on, at its own address, before Nginx sends to it"),
    START_SETTLE("startSettle", 0, 3600, "3", "seconds",
            "how long a container without healthcheck must keep running, unrestarted, to count as started"),
    URL("url", "an http(s) URL checked from where the tool runs"),
    REMOTE_URL("remoteUrl", "an http URL fetched on the VM"),
    CONTAINER("container", "a compose service whose containers must run and be healthy"),
    TCP("tcp", "a HOST:PORT that must accept a TCP connection from the VM"),
    PROMETHEUS("prometheus", "a Prometheus server URL"),
    QUERY("query", "a PromQL query whose every sample must stay at or below its limit"),
    MAX("max", "the limit of a Prometheus query"),
    PROMETHEUS_VIA_SSH("prometheusViaSsh", "send the Prometheus queries from the VM"),
    NO_DATA("noData", "what a query without series means", "fail", "fail", "pass"),
    CA_FILE("caFile", "the only CAs that HTTPS from here trusts (PEM)"),
    TIMEOUT("timeout", 1, 3600, "60", "seconds", "how long every probe has to pass"),
    INTERVAL("interval", 50, 60_000, "1000", "milliseconds", "time between two polling rounds"),
    SETTLE("settle", 0, 3600, "0", "seconds", "how long the metric probes must keep passing once all pass"),
    /** Not a door's option: derived from {@link #TIMEOUT} by {@link #httpTimeoutFor}. */
    HTTP_TIMEOUT("httpTimeout", 1, 300, null, "seconds", "the HTTP request timeout"),
    REPORT("report", "print the post-deploy report also when everything passes"),
    LOGS("logs", "a service whose last log lines the report shows"),
    ON_FIRST_FAILURE("onFirstFailure", "what happens to a first release that fails its checks", "keep", "stop", "keep"),
    SWITCH("switch", "how a release replaces the live one: compose recreates it, or Nginx is switched to it",
            "restart", "restart", "proxy"),
    PROXY_UPSTREAM("proxyUpstream", null, null, ".everbit/nginx/upstream.conf", "",
            "the upstream file the tool owns on the VM (relative to the deploy directory), included by Nginx", List.of()),
    PROXY_TEST("proxyTest", null, null, "nginx -t", "", "the VM's command that checks Nginx's configuration", List.of()),
    PROXY_RELOAD("proxyReload", null, null, "nginx -s reload", "", "the VM's command that reloads Nginx gracefully",
            List.of()),
    PROXY_SWAP("proxySwap", "how Nginx is pointed at the new slot: a reload of its configuration, or a flag file it"
            + " reads on each request (no reload)", "reload", "reload", "flag"),
    PROXY_FLAG("proxyFlag", null, null, ".everbit/nginx/green.live", "",
            "the flag file the tool owns on the VM (relative to the deploy directory) whose presence makes Nginx send to"
                    + " slot green (proxySwap flag)", List.of()),
    PROXY_CONFIRM_URL("proxyConfirmUrl", "an http URL on the VM, through Nginx, whose X-Everbit-Slot header names the"
            + " slot that answered (proxySwap flag)"),
    PROXY_HOST("proxyHost", "the address Nginx reaches both slots at (else each slot's compose service name)"),
    PROXY_PORT("proxyPort", 1, 65535, "8080", "", "the slots' port: once for both, or blue's then green's"),
    PROXY_PORT_ENV("proxyPortEnv", "the environment variable that tells each slot its port"),
    DRAIN("drain", 0, 3600, "10", "seconds", "how long a release out of rotation runs at least, for its requests in flight"),
    WARM("warm", 0, 86_400, "600", "seconds", "how long the release before keeps running after a switch, for a rollback by swap"),
    TARGET("target", "what runs the service: Docker Compose on one VM, or a Docker Swarm reached through a manager",
            "compose", "compose", "swarm"),
    STACK("stack", "target swarm: the stack's name (docker stack deploy ... STACK)"),
    CONFIG("config", "a file supplying settings by name");

    private final String id;
    private final Long min;
    private final Long max;
    private final String defaultValue;
    private final String unit;
    private final String meaning;
    private final List<String> choices;

    Setting(String id, String meaning) {
        this(id, null, null, null, "", meaning, List.of());
    }

    Setting(String id, long min, long max, String defaultValue, String unit, String meaning) {
        this(id, min, max, defaultValue, unit, meaning, List.of());
    }

    /** A choice among words. */
    Setting(String id, String meaning, String defaultChoice, String... choices) {
        this(id, null, null, defaultChoice, "", meaning, List.of(choices));
    }

    Setting(String id, Long min, Long max, String defaultValue, String unit, String meaning, List<String> choices) {
        this.id = id;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.unit = unit;
        this.meaning = meaning;
        this.choices = choices;
    }

    public String id() {
        return id;
    }

    public String meaning() {
        return meaning;
    }

    /** How an engine message names this setting; a door renders it in its own terms. */
    public String ref() {
        return this == HTTP_TIMEOUT ? meaning : "{" + id + "}";
    }

    public boolean isNumber() {
        return min != null;
    }

    public long min() {
        return requireNumber(min);
    }

    public long max() {
        return requireNumber(max);
    }

    /** The default as a door writes it (a number or a word), or null when there is none. */
    public String defaultText() {
        return defaultValue;
    }

    public int defaultInt() {
        return Integer.parseInt(requireDefault());
    }

    public long defaultLong() {
        return Long.parseLong(requireDefault());
    }

    public List<String> choices() {
        return choices;
    }

    /** The range in words, for help texts and messages: "1 to 3600 seconds", "at least 2". */
    public String range() {
        requireNumber(min);
        String range = max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
        return unit.isEmpty() ? range : range + " " + unit;
    }

    /** The value when it is in range; else an {@link InvalidInputException} naming this setting. */
    public long check(long value) {
        if (value < min() || value > max()) {
            throw new InvalidInputException(outOfRange(value));
        }
        return value;
    }

    public int check(int value) {
        return (int) check((long) value);
    }

    /** What is wrong with {@code value}, or null when it is in range. */
    public String problem(long value) {
        return value < min() || value > max() ? outOfRange(value) : null;
    }

    /** One of {@link #choices()}; else an {@link InvalidInputException} naming this setting. */
    public String choice(String text) {
        if (!choices.contains(text)) {
            throw new InvalidInputException(ref() + " '" + Printable.of(text) + "' must be "
                    + String.join(" or ", choices.stream().map(c -> "'" + c + "'").toList()));
        }
        return text;
    }

    /** A TCP port of anything (a URL's, a probe's): {@code what} names it in the message. */
    public static int tcpPort(String what, long port) {
        if (port < PORT.min() || port > PORT.max()) {
            throw new InvalidInputException(what + " " + port + " is not a TCP port (1-65535)");
        }
        return (int) port;
    }

    /** One HTTP request of a probe takes at most the verify timeout, and never more than 10 s. */
    public static int httpTimeoutFor(int verifyTimeoutSeconds) {
        return Math.max((int) HTTP_TIMEOUT.min(), Math.min(10, verifyTimeoutSeconds));
    }

    public static Optional<Setting> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    private String outOfRange(long value) {
        if (this == PORT || this == PROXY_PORT) {
            return ref() + " " + value + " is not a TCP port (1-65535)";
        }
        if (this == RETAIN) {
            return ref() + " must be at least " + min + " (the current and the previous release)";
        }
        return ref() + " must be " + range() + ", not " + value;
    }

    private long requireNumber(Long bound) {
        if (bound == null) {
            throw new IllegalStateException(id + " is not a number");
        }
        return bound;
    }

    private String requireDefault() {
        if (defaultValue == null) {
            throw new IllegalStateException(id + " has no default");
        }
        return defaultValue;
    }
}
