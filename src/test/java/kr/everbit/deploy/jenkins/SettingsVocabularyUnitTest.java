package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.settings.Setting;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The Jenkins door against the settings: each name it renders is a real step parameter or a field of the global
 * page, the page's defaults and the help texts' defaults are the settings', and the shared library hands every
 * probe of verifyHealth on.
 */
class SettingsVocabularyUnitTest {
    private static final List<Class<?>> STEPS = List.of(BuildImageStep.class, PushGhcrStep.class, SshComposeUpStep.class,
            RollbackToShaStep.class, EverbitReleasesStep.class, VerifyHealthStep.class);
    /**
     * Settings of the CLI alone (the steps use their defaults), and the two inside {@code prometheus: [[...]]}. The
     * switch without a reload (proxySwap and its two settings) is the CLI's alone so far: the steps, the global page
     * and the library still switch by a reload (issue 18).
     */
    private static final Set<Setting> NOT_IN_STEPS = Set.of(Setting.INTERVAL, Setting.CA_FILE, Setting.LOGS, Setting.REPORT,
            Setting.ON_FIRST_FAILURE, Setting.CONFIG, Setting.HTTP_TIMEOUT, Setting.QUERY, Setting.MAX, Setting.PROXY_SWAP,
            Setting.PROXY_FLAG, Setting.PROXY_CONFIRM_URL);
    private static final Path RESOURCES = Path.of("src/main/resources/kr/everbit/deploy/jenkins");

    @Test
    void everySettingAStepTakesIsNamedAsItsParameter() {
        Set<String> parameters = stepParameters();
        List<String> strays = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            if (!NOT_IN_STEPS.contains(setting) && !parameters.contains(StepParameters.name(setting))) {
                strays.add(setting.id() + " -> " + StepParameters.name(setting));
            }
        }
        assertThat(strays).isEmpty();
        assertThat(PrometheusLimit.class.getConstructors()[0].getParameters()).extracting(Parameter::getName)
                .contains("query", "max");
    }

    @Test
    void everyLabelOfTheGlobalPageIsAFieldTitle() throws IOException {
        String jelly = Files.readString(RESOURCES.resolve("EverbitGlobalConfiguration/config.jelly"));
        Set<String> titles = new HashSet<>();
        Matcher title = Pattern.compile("title=\"\\$\\{%([^}]*)}\"").matcher(jelly);
        while (title.find()) {
            titles.add(title.group(1));
        }
        for (Setting setting : Setting.values()) {
            String label = GlobalFields.label(setting);
            if (!label.equals(StepParameters.name(setting))) {
                assertThat(titles).as(setting.id()).contains(label);
            }
        }
    }

    @Test
    void theGlobalPagesDefaultsAreTheSettings() {
        EverbitGlobalConfiguration page = new EverbitGlobalConfiguration();
        assertThat(page.getPort()).isEqualTo(Setting.PORT.defaultInt());
        assertThat(page.getRetain()).isEqualTo(Setting.RETAIN.defaultInt());
        assertThat(page.getLockTimeout()).isEqualTo(Setting.LOCK_TIMEOUT.defaultInt());
        assertThat(page.getHealthTimeout()).isEqualTo(Setting.HEALTH_TIMEOUT.defaultInt());
        assertThat(page.getVerifyTimeout()).isEqualTo(Setting.TIMEOUT.defaultInt());
        assertThat(page.getSettle()).isEqualTo(Setting.SETTLE.defaultInt());
    }

    /** "Default: the global configuration (120)." in a parameter's help is the setting's default. */
    @Test
    void theHelpTextsStateTheSettingsDefaults() throws IOException {
        Pattern stated = Pattern.compile("Default: the global configuration(?:'s [a-z ]+)? \\((\\d+)\\)");
        int checked = 0;
        try (var files = Files.walk(RESOURCES)) {
            for (Path help : files.filter(f -> f.getFileName().toString().startsWith("help-")).toList()) {
                String parameter = help.getFileName().toString().replaceAll("^help-|\\.html$", "");
                Matcher m = stated.matcher(Files.readString(help));
                Setting setting = Arrays.stream(Setting.values()).filter(s -> StepParameters.name(s).equals(parameter))
                        .findFirst().orElse(null);
                if (m.find() && setting != null) {
                    assertThat(m.group(1)).as(help.toString()).isEqualTo(setting.defaultText());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    /** A new probe kind reaches the library's pipelines too: everbitDeploy passes every probe of verifyHealth on. */
    @Test
    void theLibraryPassesEveryProbeOn() throws IOException {
        String stepArgs = Files.readString(Path.of("src/kr/everbit/pipeline/StepArgs.groovy"));
        Matcher health = Pattern.compile("HEALTH = \\[([^]]*)]").matcher(stepArgs);
        assertThat(health.find()).isTrue();
        List<String> keys = Arrays.stream(health.group(1).split(",")).map(k -> k.strip().replace("'", "")).toList();
        List<String> probes = List.of(Setting.URL, Setting.REMOTE_URL, Setting.CONTAINER, Setting.TCP, Setting.PROMETHEUS,
                Setting.TIMEOUT, Setting.SETTLE).stream().map(StepParameters::name).toList();
        assertThat(keys).containsAll(probes);
    }

    private static Set<String> stepParameters() {
        Set<String> names = new HashSet<>();
        for (Class<?> step : STEPS) {
            for (var constructor : step.getConstructors()) {
                if (constructor.isAnnotationPresent(DataBoundConstructor.class)) {
                    Arrays.stream(constructor.getParameters()).map(Parameter::getName).forEach(names::add);
                }
            }
            for (Class<?> c = step; c != null; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(DataBoundSetter.class) && m.getName().startsWith("set")) {
                        names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
                    }
                }
            }
        }
        return names;
    }
}
