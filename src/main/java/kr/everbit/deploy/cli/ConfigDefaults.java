package kr.everbit.deploy.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import kr.everbit.deploy.engine.InvalidInputException;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
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

    /** Finds {@code --config FILE} (or {@code --config=FILE}) before picocli parses the rest. */
    static Optional<ConfigDefaults> fromArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(load(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(load(args[i].substring("--config=".length())));
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
