package kr.everbit.deploy.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kr.everbit.deploy.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

class SettingUnitTest {
    /** A Java string literal on one line. */
    private static final Pattern LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Path ENGINE = Path.of("src/main/java/kr/everbit/deploy/engine");

    @Test
    void eachSettingChecksItsOwnRange() {
        assertThat(Setting.TIMEOUT.check(1)).isEqualTo(1);
        assertThat(Setting.TIMEOUT.problem(3600)).isNull();
        assertThat(Setting.TIMEOUT.problem(0)).isEqualTo("{timeout} must be 1 to 3600 seconds, not 0");
        assertThat(Setting.INTERVAL.problem(49)).isEqualTo("{interval} must be 50 to 60000 milliseconds, not 49");
        assertThat(Setting.RETAIN.problem(1)).isEqualTo("{retain} must be at least 2 (the current and the previous release)");
        assertThat(Setting.PORT.problem(0)).isEqualTo("{port} 0 is not a TCP port (1-65535)");
        assertThatThrownBy(() -> Setting.LOCK_TIMEOUT.check(-1)).isInstanceOf(InvalidInputException.class)
                .hasMessage("{lockTimeout} must be 0 to 3600 seconds, not -1");
        assertThat(Setting.SETTLE.range()).isEqualTo("0 to 3600 seconds");
        assertThat(Setting.RETAIN.range()).isEqualTo("at least 2");
    }

    @Test
    void defaultsAreInTheirOwnRangeAndChoicesAmongTheirChoices() {
        for (Setting s : Setting.values()) {
            if (s.isNumber() && s.defaultText() != null) {
                assertThat(s.problem(s.defaultLong())).as(s.id()).isNull();
            }
            if (!s.choices().isEmpty()) {
                assertThat(s.choices()).as(s.id()).contains(s.defaultText());
            }
        }
        assertThat(Setting.HTTP_TIMEOUT.check(Setting.httpTimeoutFor(Setting.TIMEOUT.defaultInt()))).isEqualTo(10);
        assertThat(Setting.httpTimeoutFor(3)).isEqualTo(3);
        assertThatThrownBy(() -> Setting.NO_DATA.choice("maybe")).hasMessage("{noData} 'maybe' must be 'fail' or 'pass'");
    }

    @Test
    void idsAreUniqueCamelCaseWords() {
        List<String> ids = Arrays.stream(Setting.values()).map(Setting::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z][A-Za-z]*"));
    }

    @Test
    void onlyKnownSettingsAreRendered() {
        assertThat(SettingText.render("check {dir} and {compose}; {{.Id}} {{timeout}} {status=\"5..\"} {nothing}", s -> "<" + s.id() + ">"))
                .isEqualTo("check <dir> and <compose>; {{.Id}} {{timeout}} {status=\"5..\"} {nothing}");
    }

    /** A typo in a token would reach the user as "{dirr}": every token in an engine string literal is a setting. */
    @Test
    void everyTokenInTheEnginesMessagesIsASetting() throws IOException {
        Pattern token = Pattern.compile("(?<!\\{)\\{([a-z][A-Za-z]*)}(?!})");
        List<String> unknown = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ENGINE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher strings = LITERAL.matcher(Files.readString(file));
                while (strings.find()) {
                    Matcher t = token.matcher(strings.group());
                    while (t.find()) {
                        if (Setting.byId(t.group(1)).isEmpty()) {
                            unknown.add(file.getFileName() + ": " + t.group());
                        }
                    }
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    /**
     * The engine names its own settings by token, never by a door's option: a {@code --flag} in an engine string
     * literal is one of the programs the engine runs (docker, compose, curl), each listed here.
     */
    @Test
    void theEnginesStringsNameNoOptionOfADoor() throws IOException {
        Set<String> programsFlags = Set.of("--config", "--username", "--password-stdin", "--file", "--tag", "--build-arg",
                "--label", "--format", "--filter", "--no-deps", "--no-color", "--tail", "--no-interpolate", "--max-time",
                "--connect-timeout", "--short");
        Pattern flag = Pattern.compile("--[a-z][a-z-]*");
        List<String> strays = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ENGINE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher strings = LITERAL.matcher(Files.readString(file));
                while (strings.find()) {
                    Matcher f = flag.matcher(strings.group());
                    while (f.find()) {
                        if (!programsFlags.contains(f.group())) {
                            strays.add(file.getFileName() + ": " + f.group());
                        }
                    }
                }
            }
        }
        assertThat(strays).isEmpty();
    }
}
