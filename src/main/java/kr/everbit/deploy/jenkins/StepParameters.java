package kr.everbit.deploy.jenkins;

import java.util.Map;
import kr.everbit.deploy.engine.settings.Setting;
import kr.everbit.deploy.engine.settings.SettingText;

/**
 * How a step names a setting: by its id ({@code dir:}, {@code lockTimeout:}), except where a step parameter is a
 * list (plural) or a credential ID instead of the value itself. Each name is a real parameter of some step
 * (checked by a test).
 */
final class StepParameters {
    private StepParameters() {
    }

    static String name(Setting setting) {
        return switch (setting) {
            case IDENTITY -> "sshCredentialsId";
            case REGISTRY_TOKEN -> "registryCredentialsId";
            case REGISTRY_USER -> "registryUsername";
            case PULL_TOKEN -> "pullCredentialsId";
            case COMPOSE -> "composeFiles";
            case BUILD_ARG -> "buildArgs";
            case FILE -> "dockerfile";
            case TO -> "sha";
            case URL -> "urls";
            case REMOTE_URL -> "remoteUrls";
            case CONTAINER -> "containers";
            default -> setting.id();
        };
    }

    /**
     * An engine message in a step's terms.
     *
     * @param renamed settings this step names its own way (pushGhcr's registry user is {@code username:})
     */
    static String render(String text, Map<Setting, String> renamed) {
        return SettingText.render(text, s -> renamed.getOrDefault(s, name(s)) + ":");
    }
}
