package kr.everbit.deploy.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Printable;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values from a YAML file ({@code --config FILE}): keys are long option names without dashes
 * ({@code host: api.everbit.kr}, {@code compose: [docker/compose.yaml, docker/compose.prod.yaml]}). A flag on
 * the command line wins over the file.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Map<String, Object> values;

    private ConfigDefaults(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Finds {@code --config FILE} (or {@code --config=FILE}), before or after the subcommand, before picocli
     * parses the rest; every key must be a long option of some command ({@code everyCommand}'s tree: the file may
     * serve several subcommands).
     */
    static Optional<ConfigDefaults> fromArgs(String[] args, Supplier<CommandSpec> everyCommand) {
        for (int i = 0; i < args.length; i++) {
            String file = args[i].equals("--config") && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith("--config=") ? args[i].substring("--config=".length()) : null;
            if (file != null) {
                ConfigDefaults config = load(file);
                config.requireKnownKeys(file, optionKeys(everyCommand.get(), new TreeSet<>()));
                return Optional.of(config);
            }
        }
        return Optional.empty();
    }

    static ConfigDefaults load(String file) {
        Path path = LocalFiles.requireReadable("--config", file);
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            Object loaded = new Yaml().load(reader);
            if (loaded == null) {
                return new ConfigDefaults(Map.of());
            }
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new InvalidInputException("--config " + file + ": expected a mapping of option names to values");
            }
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> values.put(String.valueOf(k), v));
            return new ConfigDefaults(values);
        } catch (IOException | YAMLException e) {
            throw new InvalidInputException("--config " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** A typo ({@code healt-timeout:}) would otherwise do nothing, silently: exit 2, naming the nearest key. */
    private void requireKnownKeys(String file, Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                String nearest = known.stream().min(Comparator.comparingInt(k -> distance(key, k))).orElse("");
                throw new InvalidInputException("--config " + file + ": unknown key '" + Printable.of(key)
                        + "' (did you mean '" + nearest + "'?)");
            }
        }
    }

    private static Set<String> optionKeys(CommandSpec spec, Set<String> keys) {
        spec.options().forEach(o -> keys.add(o.longestName().replaceFirst("^-+", "")));
        spec.subcommands().values().forEach(sub -> optionKeys(sub.getCommandSpec(), keys));
        keys.remove("config");
        return keys;
    }

    /** Levenshtein distance: the edits that turn one key into the other. */
    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        Object value = values.get(option.longestName().replaceFirst("^-+", ""));
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
