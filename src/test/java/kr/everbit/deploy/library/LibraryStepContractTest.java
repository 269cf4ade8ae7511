package kr.everbit.deploy.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kr.everbit.deploy.jenkins.BuildImageStep;
import kr.everbit.deploy.jenkins.EverbitReleasesStep;
import kr.everbit.deploy.jenkins.PushGhcrStep;
import kr.everbit.deploy.jenkins.RollbackToShaStep;
import kr.everbit.deploy.jenkins.SshComposeUpStep;
import kr.everbit.deploy.jenkins.VerifyHealthStep;
import kr.everbit.deploy.library.PipelineHarness.StepCall;
import kr.everbit.deploy.library.PipelineHarness.StepFailure;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Every call the shared library makes to a plugin step, checked against the step class as Jenkins binds it
 * (structs' DescribableModel: the {@code @DataBoundConstructor}'s parameters, all given, and the
 * {@code @DataBoundSetter}s, by name and type), so the library and the plugin cannot drift apart. The pipelines run
 * with every config key they accept, so each key reaches the steps it is meant for.
 */
class LibraryStepContractTest {
    private static final Map<String, Class<?>> STEPS = Map.of(
            "buildImage", BuildImageStep.class,
            "pushGhcr", PushGhcrStep.class,
            "sshComposeUp", SshComposeUpStep.class,
            "verifyHealth", VerifyHealthStep.class,
            "rollbackToSha", RollbackToShaStep.class,
            "everbitReleases", EverbitReleasesStep.class);

    /** A value for every key the library documents, of the type its docs (vars/*.txt) give. */
    private static Map<String, Object> everyKey() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("image", "ghcr.io/everbit/server");
        cfg.put("context", "server");
        cfg.put("dockerfile", "docker/Dockerfile");
        cfg.put("buildArgs", Map.of("JAR_VERSION", "1.4.2"));
        cfg.put("host", "api.everbit.kr");
        cfg.put("port", 2222);
        cfg.put("user", "deploy");
        cfg.put("sshCredentialsId", "vm-deploy-key");
        cfg.put("knownHosts", "[api.everbit.kr]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample");
        cfg.put("knownHostsCredentialsId", "vm-known-hosts");
        cfg.put("dir", "~/everbit");
        cfg.put("composeFiles", List.of("docker/compose.yaml", "docker/compose.prod.yaml"));
        cfg.put("service", "server");
        cfg.put("registryCredentialsId", "ghcr");
        cfg.put("urls", List.of("https://api.everbit.kr/"));
        cfg.put("remoteUrls", List.of("http://127.0.0.1:8080/actuator/health"));
        cfg.put("containers", List.of("server"));
        cfg.put("prometheus", List.of(Map.of("url", "http://127.0.0.1:9090", "query", "rate(errors[1m])",
                "max", new java.math.BigDecimal("0.05"))));
        cfg.put("timeout", 60);
        cfg.put("settle", 0);
        cfg.put("switch", "proxy");
        cfg.put("proxyUpstream", ".everbit/nginx/upstream.conf");
        cfg.put("proxyTest", "nginx -t");
        cfg.put("proxyReload", "nginx -s reload");
        cfg.put("proxyHost", "127.0.0.1");
        cfg.put("proxyPort", List.of(8081, 8082));
        cfg.put("proxyPortEnv", "SERVER_PORT");
        cfg.put("drain", 10);
        cfg.put("warm", 600);
        return cfg;
    }

    @Test
    void everyStepCallOfTheDeployPipelineBindsToTheStep() {
        Map<String, Object> cfg = everyKey();
        cfg.put("retain", 5);
        cfg.put("testCommand", "./mvnw -B verify");
        cfg.put("verifyStageTimeout", 300);
        // A failed verification makes the library roll back, so that call is checked too.
        PipelineHarness run = EverbitDeployPipelineTest.mainMerge()
                .onStep("verifyHealth", call -> {
                    throw new StepFailure("https://api.everbit.kr/ answered 502");
                })
                .callVar("everbitDeploy", cfg);

        List<StepCall> calls = pluginCalls(run);
        assertThat(calls).extracting(StepCall::name)
                .containsExactly("buildImage", "pushGhcr", "sshComposeUp", "verifyHealth", "rollbackToSha");
        calls.forEach(LibraryStepContractTest::assertBinds);
        assertThat(givenKeys(calls)).as("every config key meant for a step reaches one")
                .containsAll(stepKeysOf(cfg));
    }

    @Test
    void everyStepCallOfTheRollbackPipelineBindsToTheStep() {
        Map<String, Object> cfg = everyKey();
        List.of("context", "dockerfile", "buildArgs").forEach(cfg::remove); // it builds nothing, and refuses them
        cfg.put("releases", 10);
        cfg.put("verifyStageTimeout", 300);
        PipelineHarness run = EverbitRollbackPipelineTest.rollbackJob("previous").callVar("everbitRollback", cfg);
        assertThat(run.result()).as(String.valueOf(run.failure())).isEqualTo("SUCCESS");

        List<StepCall> calls = pluginCalls(run);
        assertThat(calls).extracting(StepCall::name)
                .containsExactly("everbitReleases", "rollbackToSha", "verifyHealth");
        calls.forEach(LibraryStepContractTest::assertBinds);
        assertThat(givenKeys(calls)).containsAll(stepKeysOf(cfg));
    }

    @Test
    void aCallTheStepCannotBindIsCaught() {
        // The check itself: a renamed parameter, a wrong type and a missing sha are each reported.
        assertThat(problems(new StepCall("sshComposeUp", List.of(Map.of("sha", "abc1234", "retainCount", 5)), List.of())))
                .containsExactly("sshComposeUp: no parameter retainCount");
        assertThat(problems(new StepCall("verifyHealth", List.of(Map.of("urls", "https://api.everbit.kr/")), List.of())))
                .containsExactly("verifyHealth: urls: a java.lang.String where java.util.List<java.lang.String> is bound");
        assertThat(problems(new StepCall("rollbackToSha", List.of(Map.of("reason", "x")), List.of())))
                .containsExactly("rollbackToSha: the required sha is not given");
        assertThat(problems(new StepCall("verifyHealth",
                List.of(Map.of("prometheus", List.of(Map.of("url", "u", "query", "q", "limit", 1)))), List.of())))
                .contains("verifyHealth: prometheus[0]: no parameter limit");
    }

    private static List<StepCall> pluginCalls(PipelineHarness run) {
        return run.calls(STEPS.keySet().toArray(String[]::new));
    }

    private static void assertBinds(StepCall call) {
        assertThat(problems(call)).as(call.name() + " " + call.named()).isEmpty();
    }

    private static Set<String> givenKeys(List<StepCall> calls) {
        Set<String> keys = new TreeSet<>();
        calls.forEach(c -> keys.addAll(c.named().keySet()));
        return keys;
    }

    /** The config keys that are some step's parameter (the rest are the pipeline's own, e.g. testCommand). */
    private static Set<String> stepKeysOf(Map<String, Object> cfg) {
        Set<String> all = new TreeSet<>();
        STEPS.values().forEach(step -> all.addAll(parameters(step).keySet()));
        Set<String> keys = new TreeSet<>(cfg.keySet());
        keys.retainAll(all);
        return keys;
    }

    private static List<String> problems(StepCall call) {
        assertThat(call.args()).as(call.name() + " is called with one map of named arguments").hasSize(1);
        List<String> problems = new ArrayList<>();
        bind(call.name(), STEPS.get(call.name()), call.named(), problems);
        return problems;
    }

    /** What structs' DescribableModel.instantiate would refuse in these arguments for this class. */
    private static void bind(String where, Class<?> type, Map<?, ?> args, List<String> problems) {
        Map<String, Type> parameters = parameters(type);
        for (String required : constructorParameters(type)) {
            if (!args.containsKey(required)) {
                problems.add(where + ": the required " + required + " is not given");
            }
        }
        args.forEach((name, value) -> {
            Type bound = parameters.get(String.valueOf(name));
            if (bound == null) {
                problems.add(where + ": no parameter " + name);
            } else {
                coerce(where + ": " + name, bound, value, problems);
            }
        });
    }

    /** structs' coerce: a list element by element, a map into a nested describable, numbers and strings as Groovy does. */
    private static void coerce(String where, Type bound, Object value, List<String> problems) {
        Class<?> raw = wrap(erasure(bound));
        if (value == null) {
            return;
        }
        if (List.class.isAssignableFrom(raw) && value instanceof List<?> list) {
            Type element = ((ParameterizedType) bound).getActualTypeArguments()[0];
            for (int i = 0; i < list.size(); i++) {
                coerce(where + "[" + i + "]", element, list.get(i), problems);
            }
        } else if (raw.isInstance(value)) {
            return;
        } else if (value instanceof Map<?, ?> map && !Map.class.isAssignableFrom(raw)) {
            List<String> nested = new ArrayList<>();
            bind(where, raw, map, nested);
            problems.addAll(nested);
        } else if (value instanceof Number && (raw == Double.class || raw == Float.class)) {
            return; // Groovy's coerceArgument turns any number into a double
        } else if (value instanceof String && (Number.class.isAssignableFrom(raw) || raw == Boolean.class)) {
            return; // structs parses a string for a number or a boolean
        } else {
            problems.add(where + ": a " + value.getClass().getName() + " where " + bound.getTypeName() + " is bound");
        }
    }

    /** Constructor and setter parameters over the class hierarchy, with their generic types. */
    private static Map<String, Type> parameters(Class<?> type) {
        Map<String, Type> all = new LinkedHashMap<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (int i = 0; i < c.getParameterCount(); i++) {
                    all.put(c.getParameters()[i].getName(), c.getGenericParameterTypes()[i]);
                }
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    String name = m.getName().substring(3);
                    all.putIfAbsent(Character.toLowerCase(name.charAt(0)) + name.substring(1), m.getGenericParameterTypes()[0]);
                }
            }
        }
        return all;
    }

    private static List<String> constructorParameters(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (java.lang.reflect.Parameter p : c.getParameters()) {
                    names.add(p.getName());
                }
            }
        }
        return names;
    }

    private static Class<?> erasure(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static Class<?> wrap(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return Map.<Class<?>, Class<?>>of(int.class, Integer.class, double.class, Double.class, boolean.class,
                Boolean.class, long.class, Long.class, float.class, Float.class).get(type);
    }
}
