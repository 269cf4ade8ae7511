package kr.everbit.deploy.engine.flow;

import java.util.Locale;
import kr.everbit.deploy.engine.settings.Setting;

/** What to do with a first release that fails verification, when there is nothing to roll back to. */
public enum OnFirstFailure {
    /** Leave it running, so that it can be looked at (the default). */
    KEEP,
    /** Stop its containers, so that a broken service does not answer. */
    STOP;

    /** @param text one of {@link Setting#ON_FIRST_FAILURE}'s choices, or null for its default */
    public static OnFirstFailure of(String text) {
        String choice = text == null ? Setting.ON_FIRST_FAILURE.defaultText() : Setting.ON_FIRST_FAILURE.choice(text);
        return valueOf(choice.toUpperCase(Locale.ROOT));
    }

    public String option() {
        return name().toLowerCase();
    }
}
