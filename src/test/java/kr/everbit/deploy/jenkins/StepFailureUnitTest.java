package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.settings.Setting;
import org.junit.jupiter.api.Test;

class StepFailureUnitTest {

    @Test
    void engineSettingsBecomeStepParameters() {
        assertThat(StepFailure.inStepTerms("{host} 'a b' is not a host name or address", Map.of()))
                .isEqualTo("host: 'a b' is not a host name or address");
        assertThat(StepFailure.inStepTerms("missing (check {dir} and {compose})", Map.of()))
                .isEqualTo("missing (check dir: and composeFiles:)");
        assertThat(StepFailure.inStepTerms("wait for it, or raise {lockTimeout}", Map.of()))
                .isEqualTo("wait for it, or raise lockTimeout:");
        assertThat(StepFailure.inStepTerms("{url} 'x' is not a URL; {tcp} 'y' must be HOST:PORT", Map.of()))
                .isEqualTo("urls: 'x' is not a URL; tcp: 'y' must be HOST:PORT");
    }

    @Test
    void bracesThatAreNoSettingStayAsTheyAre() {
        assertThat(StepFailure.inStepTerms("query 'rate(x{status=\"500\"}[1m])' {{.Id}} {nothing}", Map.of()))
                .isEqualTo("query 'rate(x{status=\"500\"}[1m])' {{.Id}} {nothing}");
    }

    @Test
    void cliCommandsBecomeSteps() {
        assertThat(StepFailure.inStepTerms("build and push it first (everbit-deploy build / push)", Map.of()))
                .isEqualTo("build and push it first (buildImage / pushGhcr)");
        assertThat(StepFailure.inStepTerms("name one with {to} SHA (everbit-deploy status lists the history)", Map.of()))
                .isEqualTo("name one with sha: SHA (everbitReleases lists the history)");
    }

    @Test
    void aStepMayNameASettingItsOwnWay() {
        assertThat(StepFailure.inStepTerms("{registryUser} 'a b' is not a registry user name",
                Map.of(Setting.REGISTRY_USER, "username"))).isEqualTo("username: 'a b' is not a registry user name");
    }

    @Test
    void theMessageStartsWithTheStepAndMasksSecrets() {
        Masker masker = new Masker();
        masker.add(Secret.of("ghp_supersecret123"));
        assertThat(StepFailure.of("pushGhcr", "refused ghp_supersecret123", masker).getMessage())
                .isEqualTo("pushGhcr: refused ****");
    }
}
