package kr.everbit.deploy.engine.health;

import java.util.Locale;
import kr.everbit.deploy.engine.settings.Setting;

/** What a query that returns no series means: {@code fail} (the default: no evidence is no pass) or {@code pass}. */
public enum NoDataPolicy {
    FAIL, PASS;

    /** @param text one of {@link Setting#NO_DATA}'s choices, or null for its default */
    public static NoDataPolicy of(String text) {
        String choice = text == null ? Setting.NO_DATA.defaultText() : Setting.NO_DATA.choice(text);
        return valueOf(choice.toUpperCase(Locale.ROOT));
    }
}
