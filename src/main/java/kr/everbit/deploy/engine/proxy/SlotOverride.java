package kr.everbit.deploy.engine.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.settings.Setting;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The tool-owned compose override that lets two releases of one service run at once: two services, {@code SERVICE-blue}
 * and {@code SERVICE-green}, each a copy of the operator's service as {@code compose config} resolves it (all of the
 * operator's files merged, so compose v1 and v2 agree and no {@code extends} is needed), with its own image and, on
 * the host network, its own port. What two copies cannot share is left out: {@code container_name} (unique per
 * host), {@code ports} (a host port binds once; Nginx reaches the slots without them) and {@code build}.
 */
public final class SlotOverride {
    private static final List<String> DROPPED = List.of("container_name", "ports", "build");

    private SlotOverride() {
    }

    /** The override's YAML: each slot with its image ({@code images} by slot; a slot not given gets {@code fallback}). */
    @SuppressWarnings("unchecked")
    public static String of(String composeConfig, String service, ProxySettings settings, Map<Slot, String> images,
                            String fallback) {
        // Blank only in a dry run, which prints the plan: the slots then show what the tool adds.
        Object parsed = composeConfig.isBlank() ? Map.of("services", Map.of(service, Map.of()))
                : new Yaml(new LoaderOptions()).load(composeConfig);
        Map<String, Object> services = parsed instanceof Map<?, ?> top && top.get("services") instanceof Map<?, ?> s
                ? (Map<String, Object>) s : null;
        Object definition = services == null ? null : services.get(service);
        if (!(definition instanceof Map<?, ?>)) {
            throw new EverbitException("the VM's compose config has no service '" + service + "' to run in a proxy slot"
                    + " (check " + Setting.SERVICE.ref() + " and " + Setting.COMPOSE.ref() + ")");
        }
        Map<String, Object> slots = new LinkedHashMap<>();
        for (Slot slot : Slot.values()) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) definition);
            DROPPED.forEach(copy::remove);
            copy.put("image", images.getOrDefault(slot, fallback));
            if (settings.portEnv() != null) {
                Map<String, Object> environment = environment(copy.get("environment"));
                environment.put(settings.portEnv(), String.valueOf(slot.port(settings)));
                copy.put("environment", environment);
            }
            slots.put(slot.service(service), copy);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return "# Written by everbit-deploy from 'compose config': the proxy slots of service '" + service
                + "'. Do not edit: run everbit-deploy up or rollback.\n"
                + new Yaml(options).dump(Map.of("services", slots));
    }

    /** The environment as a map: compose config prints one, but a list of {@code K=V} is accepted too. */
    private static Map<String, Object> environment(Object value) {
        Map<String, Object> environment = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> environment.put(String.valueOf(k), v));
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                environment.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
            }
        }
        return environment;
    }
}
