package kr.everbit.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kr.everbit.deploy.engine.settings.Setting;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The CLI's options are the settings under their kebab-case names, with the settings' defaults. */
class CliSettingsUnitTest {
    /** Options of the CLI alone: output format, dry run, who deploys, where the token comes from, help. */
    private static final Set<String> DOOR_ONLY = Set.of("--json", "--dry-run", "--actor", "--registry-token-file",
            "--registry-token-stdin", "--pull-token-file", "--pull-token-stdin", "--source", "--help", "--version");

    @Test
    void everyOptionIsASettingOrOneOfTheDoorsOwn() {
        List<String> strays = new ArrayList<>();
        for (OptionSpec option : allOptions(Main.commandLine(new Main(), new String[0]).getCommandSpec(), new ArrayList<>())) {
            if (setting(option).isEmpty() && !DOOR_ONLY.contains(option.longestName())) {
                strays.add(option.longestName());
            }
        }
        assertThat(strays).isEmpty();
    }

    @Test
    void everyDefaultIsTheSettingsDefault() {
        for (OptionSpec option : allOptions(Main.commandLine(new Main(), new String[0]).getCommandSpec(), new ArrayList<>())) {
            Optional<Setting> setting = setting(option);
            if (setting.isPresent() && setting.get().defaultText() != null) {
                assertThat(option.defaultValue()).as(option.longestName()).isEqualTo(setting.get().defaultText());
            }
        }
    }

    @Test
    void settingsAreNamedByTheirOptions() {
        assertThat(OptionNames.render("raise {lockTimeout}; check {caFile}, {onFirstFailure} and {dir}"))
                .isEqualTo("raise --lock-timeout; check --ca-file, --on-first-failure and --dir");
        assertThat(OptionNames.render("a token ({registryToken})"))
                .isEqualTo("a token (--registry-token-file FILE or --registry-token-stdin)");
    }

    private static Optional<Setting> setting(OptionSpec option) {
        String name = option.longestName().replaceFirst("^--", "");
        return java.util.Arrays.stream(Setting.values()).filter(s -> OptionNames.key(s.id()).equals(name)).findFirst();
    }

    private static List<OptionSpec> allOptions(CommandSpec spec, List<OptionSpec> into) {
        into.addAll(spec.options());
        spec.subcommands().values().forEach(sub -> allOptions(sub.getCommandSpec(), into));
        return into;
    }
}
