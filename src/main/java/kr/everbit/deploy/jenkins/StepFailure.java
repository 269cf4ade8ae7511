package kr.everbit.deploy.jenkins;

import hudson.AbortException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.Masker;

/**
 * Turns a failure into the short message a pipeline shows: the step's name first, the engine's CLI words
 * ({@code --host}, {@code everbit-deploy build}) replaced by the step parameters and steps that mean the same, and
 * every known secret masked. An {@link AbortException} fails the build without a stack trace.
 */
final class StepFailure {
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");
    private static final Map<String, String> PARAMETERS = Map.ofEntries(
            Map.entry("--host", "host:"),
            Map.entry("--port", "port:"),
            Map.entry("--user", "user:"),
            Map.entry("--identity", "sshCredentialsId:"),
            Map.entry("--known-hosts", "knownHosts:"),
            Map.entry("--dir", "dir:"),
            Map.entry("--compose", "composeFiles:"),
            Map.entry("--service", "service:"),
            Map.entry("--image", "image:"),
            Map.entry("--context", "context:"),
            Map.entry("--build-arg", "buildArgs:"),
            Map.entry("--registry-user", "registryUsername:"),
            Map.entry("--retain", "retain:"),
            Map.entry("--lock-timeout", "lockTimeout:"),
            Map.entry("--health-timeout", "healthTimeout:"),
            Map.entry("--sha", "sha:"),
            Map.entry("--to", "sha:"),
            Map.entry("--url", "urls:"),
            Map.entry("--remote-url", "remoteUrls:"),
            Map.entry("--container", "containers:"),
            Map.entry("--prometheus", "prometheus:"),
            Map.entry("--query", "query:"),
            Map.entry("--max", "max:"),
            Map.entry("--prometheus-via-ssh", "prometheusViaSsh:"),
            Map.entry("--no-data", "noData:"),
            Map.entry("--timeout", "timeout:"),
            Map.entry("--settle", "settle:"));
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

    /** @param renamed parameters this step names differently (pushGhcr's registry user is {@code username:}) */
    static AbortException of(String function, String message, Masker masker, Map<String, String> renamed) {
        return new AbortException(function + ": " + masker.mask(inStepTerms(message, renamed)));
    }

    static String inStepTerms(String message, Map<String, String> renamed) {
        Map<String, String> names = new LinkedHashMap<>(PARAMETERS);
        names.putAll(renamed);
        String text = message == null ? "failed" : message;
        for (Map.Entry<String, String> command : COMMANDS) {
            text = text.replace(command.getKey(), command.getValue());
        }
        Matcher option = OPTION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (option.find()) {
            option.appendReplacement(out, Matcher.quoteReplacement(names.getOrDefault(option.group(), option.group())));
        }
        return option.appendTail(out).toString();
    }
}
