package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The "Everbit deploy" page as Stapler binds it: a number field the administrator cleared arrives as "", which
 * Stapler turns into null for a boxed Integer (its IntegerConverter(null)) and into 0 for an int.
 */
class GlobalConfigurationFormUnitTest {
    @Test
    void everyNumberFieldIsBoundAsABoxedInteger() {
        List<String> primitive = new ArrayList<>();
        for (Method m : EverbitGlobalConfiguration.class.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class) && m.getParameterTypes()[0].isPrimitive()
                    && m.getParameterTypes()[0] != boolean.class) {
                primitive.add(m.getName());
            }
        }
        assertThat(primitive).as("setters a cleared field would set to 0").isEmpty();
    }

    @Test
    void aClearedNumberFieldIsTheDefaultAgain() {
        EverbitGlobalConfiguration c = new EverbitGlobalConfiguration();
        c.setPort(2222);
        c.setRetain(9);
        c.setLockTimeout(5);
        c.setHealthTimeout(5);
        c.setVerifyTimeout(5);
        c.setSettle(5);
        c.setDrain(5);
        c.setWarm(5);
        c.setPort(null);
        c.setRetain(null);
        c.setLockTimeout(null);
        c.setHealthTimeout(null);
        c.setVerifyTimeout(null);
        c.setSettle(null);
        c.setDrain(null);
        c.setWarm(null);
        assertThat(List.of(c.getPort(), c.getRetain(), c.getLockTimeout(), c.getHealthTimeout(), c.getVerifyTimeout(),
                c.getSettle(), c.getDrain(), c.getWarm())).containsExactly(22, 5, 120, 120, 60, 0, 10, 600);
    }
}
