package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.settings.Setting;
import org.apache.commons.beanutils.PropertyUtils;
import org.junit.jupiter.api.Test;

/**
 * The "Everbit deploy" page saved as Stapler saves it ({@link StaplerJsonBinding}, with the real commons-beanutils):
 * every field of config.jelly is bound from the submitted form, and a number field the administrator cleared
 * arrives as "" and is the default again.
 */
class GlobalConfigurationFormUnitTest {
    private static final Pattern ENTRY = Pattern.compile("<f:entry field=\"(\\w+)\"[^>]*>\\s*<[fc]:(\\w+)");

    @Test
    void everyFieldOfThePageIsSaved() throws Exception {
        Map<String, String> fields = pageFields();
        assertThat(fields).hasSizeGreaterThan(30);
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        Map<String, Object> form = new LinkedHashMap<>();
        int n = 2;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            form.put(f.getKey(), switch (f.getValue()) {
                case "number" -> String.valueOf(n++);
                case "checkbox" -> true;
                default -> f.getKey() + "-value";
            });
        }
        StaplerJsonBinding.bindJSON(c, form);
        for (Map.Entry<String, Object> f : form.entrySet()) {
            assertThat(String.valueOf(PropertyUtils.getProperty(c, f.getKey())))
                    .as("field %s after Save", f.getKey()).isEqualTo(String.valueOf(f.getValue()));
        }
    }

    @Test
    void aClearedNumberFieldIsTheDefaultAgain() throws Exception {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        Map<String, Object> typed = new LinkedHashMap<>();
        Map<String, Object> cleared = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : pageFields().entrySet()) {
            if (f.getValue().equals("number")) {
                typed.put(f.getKey(), "7");
                cleared.put(f.getKey(), "");
            }
        }
        assertThat(cleared).containsOnlyKeys("port", "retain", "lockTimeout", "healthTimeout", "verifyTimeout",
                "settle", "drain", "warm", "startSettle");
        StaplerJsonBinding.bindJSON(c, typed);
        assertThat(List.of(c.getPort(), c.getRetain(), c.getLockTimeout(), c.getHealthTimeout(), c.getVerifyTimeout(),
                c.getSettle(), c.getDrain(), c.getWarm(), c.getStartSettle())).containsOnly(7);
        StaplerJsonBinding.bindJSON(c, cleared);
        assertThat(List.of(c.getPort(), c.getRetain(), c.getLockTimeout(), c.getHealthTimeout(), c.getVerifyTimeout(),
                c.getSettle(), c.getDrain(), c.getWarm(), c.getStartSettle())).containsExactly(Setting.PORT.defaultInt(),
                Setting.RETAIN.defaultInt(), Setting.LOCK_TIMEOUT.defaultInt(), Setting.HEALTH_TIMEOUT.defaultInt(),
                Setting.TIMEOUT.defaultInt(), Setting.SETTLE.defaultInt(), Setting.DRAIN.defaultInt(),
                Setting.WARM.defaultInt(), Setting.START_SETTLE.defaultInt());
    }

    /** What the page had before: the binding skips such a field without an error, and Save changes nothing. */
    @Test
    void aSetterWhoseTypeDiffersFromItsGetterIsSkipped() throws Exception {
        Mismatched bean = new Mismatched();
        assertThat(StaplerJsonBinding.writeMethod(bean, "retain")).isNull();
        StaplerJsonBinding.bindJSON(bean, Map.of("retain", "9"));
        assertThat(bean.getRetain()).isEqualTo(5);
    }

    public static final class Mismatched {
        private int retain = 5;

        public int getRetain() {
            return retain;
        }

        public void setRetain(Integer retain) {
            this.retain = retain == null ? 5 : retain;
        }
    }

    /** config.jelly's fields and their controls (textbox, number, checkbox, ...), in page order. */
    private static Map<String, String> pageFields() throws IOException {
        String jelly;
        try (InputStream in = EverbitGlobalConfiguration.class.getResourceAsStream(
                "EverbitGlobalConfiguration/config.jelly")) {
            jelly = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(jelly);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        return fields;
    }
}
