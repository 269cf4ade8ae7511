package kr.everbit.deploy.jenkins;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The user-facing text of the Jenkins door, from {@code Messages.properties} beside these classes. The real plugin
 * build also generates a localizer {@code Messages} class from that file (hence this class's other name); the
 * patterns follow MessageFormat, as localizer's do.
 */
final class Texts {
    private static final ResourceBundle BUNDLE = ResourceBundle.getBundle("kr.everbit.deploy.jenkins.Messages", Locale.ROOT);

    private Texts() {
    }

    /** The text for {@code key}; pass numbers as strings, so that MessageFormat does not group their digits. */
    static String get(String key, Object... args) {
        return new MessageFormat(BUNDLE.getString(key), Locale.ROOT).format(args);
    }
}
