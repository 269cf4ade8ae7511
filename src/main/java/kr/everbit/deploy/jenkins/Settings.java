package kr.everbit.deploy.jenkins;

import java.util.Arrays;
import java.util.List;

/** How a step's parameter and the global default combine: the step's value when given, else the default. */
final class Settings {
    private Settings() {
    }

    /** Setters keep "not given" as null, so that an empty form field falls back to the default too. */
    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static String pick(String stepValue, String defaultValue) {
        String given = blankToNull(stepValue);
        return given != null ? given : blankToNull(defaultValue);
    }

    static int pick(Integer stepValue, int defaultValue) {
        return stepValue != null ? stepValue : defaultValue;
    }

    static <T> List<T> pick(List<T> stepValue, List<T> defaultValue) {
        return stepValue != null && !stepValue.isEmpty() ? stepValue : defaultValue;
    }

    /** A form field holding one item per line (or separated by commas): compose files, URLs. */
    static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[\\r\\n,]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
