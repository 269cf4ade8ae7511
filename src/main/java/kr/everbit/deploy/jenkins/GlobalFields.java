package kr.everbit.deploy.jenkins;

import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.settings.SettingText;

/**
 * How the "Everbit deploy" page names a setting: the title of its field (config.jelly; a test checks that each
 * is one), or, for a setting the page has no field for, the step parameter.
 */
final class GlobalFields {
    private GlobalFields() {
    }

    static String label(Setting setting) {
        return switch (setting) {
            case HOST -> "VM host";
            case PORT -> "SSH port";
            case USER -> "SSH user";
            case IDENTITY -> "SSH key";
            case KNOWN_HOSTS -> "known_hosts lines";
            case DIR -> "Deploy directory on the VM";
            case COMPOSE -> "Compose files";
            case SERVICE -> "Service";
            case IMAGE -> "Image repository";
            case REGISTRY_TOKEN -> "Registry credentials";
            case REGISTRY_USER -> "Registry user";
            case PULL_TOKEN -> "VM pull credentials (read-only)";
            case RETAIN -> "Releases to keep on the VM";
            case LOCK_TIMEOUT -> "Deploy lock timeout (seconds)";
            case HEALTH_TIMEOUT -> "Health timeout (seconds)";
            case READY_PATH -> "Ready path";
            case START_SETTLE -> "Start settle time (seconds)";
            case URL -> "Health URLs (from the agent)";
            case REMOTE_URL -> "Health URLs on the VM";
            case CONTAINER -> "Containers that must be healthy";
            case TCP -> "Ports that must answer on the VM";
            case PROMETHEUS -> "Prometheus URL";
            case QUERY -> "Prometheus query";
            case MAX -> "Prometheus limit";
            case PROMETHEUS_VIA_SSH -> "Query Prometheus from the VM";
            case TIMEOUT -> "Verify timeout (seconds)";
            case SETTLE -> "Settle time for the Prometheus limit (seconds)";
            case SWITCH -> "Switch mode";
            case TARGET -> "Target";
            case STACK -> "Stack name";
            case PROXY_UPSTREAM -> "Nginx upstream file on the VM";
            case PROXY_TEST -> "Nginx test command";
            case PROXY_RELOAD -> "Nginx reload command";
            case PROXY_HOST -> "Slot address";
            case PROXY_PORT -> "Slot ports";
            case PROXY_PORT_ENV -> "Port variable";
            case DRAIN -> "Drain time (seconds)";
            case WARM -> "Warm window (seconds)";
            default -> StepParameters.name(setting);
        };
    }

    /** An engine message in the page's terms. */
    static String render(String text) {
        return SettingText.render(text, s -> label(s) + ":");
    }
}
