package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.settings.Setting;

/**
 * Turns a failure into the short message a pipeline shows: the step's name first, the engine's settings named as
 * step parameters ({@link StepParameters}), the CLI commands it suggests ({@code everbit-deploy build}) as the
 * steps that do the same, and every known secret masked. An {@link AbortException} fails the build without a
 * stack trace.
 */
final class StepFailure {
    /** Longest first: "build / push" before "build". */
    private static final List<Map.Entry<String, String>> COMMANDS = List.of(
            Map.entry("everbit-deploy build / push", "buildImage / pushGhcr"),
            Map.entry("everbit-deploy build", "buildImage"),
            Map.entry("everbit-deploy push", "pushGhcr"),
            Map.entry("everbit-deploy status", "everbitReleases"));

    private StepFailure() {
    }

    static AbortException of(String function, String message, Masker masker) {
        return of(function, message, masker, Map.of());
    }

    /** @param renamed settings this step names differently (pushGhcr's registry user is {@code username:}) */
    static AbortException of(String function, String message, Masker masker, Map<Setting, String> renamed) {
        return new AbortException(function + ": " + masker.mask(inStepTerms(message, renamed)));
    }

    static String inStepTerms(String message, Map<Setting, String> renamed) {
        String text = message == null ? "failed" : message;
        for (Map.Entry<String, String> command : COMMANDS) {
            text = text.replace(command.getKey(), command.getValue());
        }
        return StepParameters.render(text, renamed);
    }
}
