package kr.everbit.deploy.engine.settings;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the setting tokens ({@link Setting#ref()}) of an engine message in a door's terms. Only the ids of known
 * settings, in single braces, are replaced, so braces of other origins (a docker template's {@code {{end}}}, a
 * PromQL selector) stay as they are.
 */
public final class SettingText {
    private static final Pattern TOKEN = Pattern.compile("(?<!\\{)\\{([a-z][A-Za-z]*)}(?!})");

    private SettingText() {
    }

    public static String render(String text, Function<Setting, String> name) {
        if (text == null) {
            return null;
        }
        Matcher token = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (token.find()) {
            String rendered = Setting.byId(token.group(1)).map(name).orElse(token.group());
            token.appendReplacement(out, Matcher.quoteReplacement(rendered));
        }
        return token.appendTail(out).toString();
    }
}
