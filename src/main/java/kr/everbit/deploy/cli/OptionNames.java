package kr.everbit.deploy.cli;

import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.settings.SettingText;

/** How the CLI names a setting: its long option, the id in kebab case ({@code lockTimeout} is {@code --lock-timeout}). */
final class OptionNames {
    private OptionNames() {
    }

    static String option(Setting setting) {
        // The tokens have two options each: a token comes from a file or from stdin, never from an argument.
        if (setting == Setting.REGISTRY_TOKEN) {
            return "--registry-token-file FILE or --registry-token-stdin";
        }
        if (setting == Setting.PULL_TOKEN) {
            return "--pull-token-file FILE or --pull-token-stdin";
        }
        return "--" + key(setting.id());
    }

    /** A setting id as a long option name without dashes, as {@code --config} keys are written. */
    static String key(String id) {
        return id.replaceAll("([A-Z])", "-$1").toLowerCase();
    }

    /** An engine message in the CLI's terms. */
    static String render(String text) {
        return SettingText.render(text, OptionNames::option);
    }
}
