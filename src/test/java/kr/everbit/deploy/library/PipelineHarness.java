package kr.everbit.deploy.library;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyClassLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

/**
 * Runs the repository's pipeline scripts with plain Groovy, the way Jenkins would load them as the shared library
 * {@code everbit-deploy} ({@code src/} on the class path, {@code vars/NAME.groovy} as global variables), and records
 * every step call with its arguments. Steps answer with realistic defaults; a test overrides any of them.
 * Unknown steps fail, so a typo in a script cannot pass unnoticed.
 */
public final class PipelineHarness {
    public static final String PREVIOUS_SHA = "1111111111111111111111111111111111111111";

    /** One recorded step call, with the block steps it ran inside (outermost first), e.g. [node, stage]. */
    public record StepCall(String name, List<Object> args, List<String> within) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> named() {
            return !args.isEmpty() && args.get(0) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }

        public Object arg(int i) {
            return args.get(i);
        }
    }

    /** How a test answers a step: return a value or throw, as the real step would. */
    @FunctionalInterface
    public interface Step {
        Object run(StepCall call) throws Exception;
    }

    /** What the {@code error} step throws (Jenkins: AbortException). */
    public static final class PipelineError extends RuntimeException {
        PipelineError(String message) {
            super(message);
        }
    }

    /** A failure a test makes a step throw. */
    public static final class StepFailure extends RuntimeException {
        public StepFailure(String message) {
            super(message);
        }
    }

    private final Path repo;
    private final Map<String, Object> env = new LinkedHashMap<>();
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final Map<String, Object> currentBuild = new LinkedHashMap<>();
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private final List<StepCall> calls = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Deque<String> blocks = new ArrayDeque<>();
    private final Declarative declarative = new Declarative(this);
    private final GroovyClassLoader loader;
    private final Binding binding = new Binding();
    private Throwable failure;

    public PipelineHarness(Path repo) {
        this.repo = repo;
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(PipelineScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addImport("Library", LibraryAnnotation.class.getName());
        config.addCompilationCustomizers(imports);
        loader = new GroovyClassLoader(getClass().getClassLoader(), config);
        loader.addClasspath(repo.resolve("src").toString());
        binding.setVariable("env", env);
        binding.setVariable("params", params);
        binding.setVariable("currentBuild", currentBuild);
        binding.setVariable("scm", "scm");
        defaultSteps();
        globalVariables();
    }

    public PipelineHarness env(String name, Object value) {
        env.put(name, value);
        return this;
    }

    public PipelineHarness param(String name, Object value) {
        params.put(name, value);
        return this;
    }

    public PipelineHarness onStep(String name, Step step) {
        steps.put(name, step);
        return this;
    }

    /** Runs a pipeline script file (relative to the repository), e.g. the root Jenkinsfile. */
    public PipelineHarness run(String path) {
        return runGuarded(() -> load(repo.resolve(path)).run());
    }

    /** Calls a global variable the way a Jenkinsfile does: {@code name(config)}. */
    public PipelineHarness callVar(String name, Map<String, Object> config) {
        return runGuarded(() -> step(name, new Object[] {config}));
    }

    // --- what happened

    public String result() {
        return (String) currentBuild.get("result");
    }

    public String description() {
        return (String) currentBuild.get("description");
    }

    public Throwable failure() {
        return failure;
    }

    public List<StepCall> calls() {
        return List.copyOf(calls);
    }

    public List<String> stepNames() {
        return calls.stream().map(StepCall::name).toList();
    }

    /** The calls of the named steps only, in order. */
    public List<StepCall> calls(String... names) {
        List<String> wanted = Arrays.asList(names);
        return calls.stream().filter(c -> wanted.contains(c.name())).toList();
    }

    public StepCall only(String name) {
        List<StepCall> found = calls(name);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one call of " + name + " but got " + found.size() + ": " + stepNames());
        }
        return found.get(0);
    }

    public List<String> stages() {
        return calls("stage").stream().map(c -> String.valueOf(c.arg(0))).toList();
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    public Declarative declarative() {
        return declarative;
    }

    // --- for PipelineScript and Declarative

    boolean knows(String name) {
        return steps.containsKey(name);
    }

    /** Records a declarative stage: Jenkins shows it like a stage step, its body is run by {@link Declarative}. */
    void recordStage(Object name) {
        calls.add(new StepCall("stage", List.of(name), List.copyOf(blocks)));
    }

    Object step(String name, Object[] args) {
        StepCall call = new StepCall(name, Arrays.asList(args), List.copyOf(blocks));
        calls.add(call);
        try {
            return steps.get(name).run(call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Object body(StepCall call) {
        Object last = call.args().isEmpty() ? null : call.args().get(call.args().size() - 1);
        if (!(last instanceof Closure<?> closure)) {
            throw new AssertionError(call.name() + " needs a body: " + call.args());
        }
        blocks.addLast(call.name());
        try {
            return closure.call();
        } finally {
            blocks.removeLast();
        }
    }

    private PipelineHarness runGuarded(Runnable pipeline) {
        try {
            pipeline.run();
            currentBuild.putIfAbsent("result", "SUCCESS");
        } catch (PipelineError | StepFailure e) {
            failure = e;
            currentBuild.put("result", "FAILURE");
        }
        return this;
    }

    private PipelineScript load(Path file) {
        try {
            PipelineScript script = (PipelineScript) loader.parseClass(file.toFile()).getDeclaredConstructor().newInstance();
            script.harness = this;
            script.setBinding(binding);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void globalVariables() {
        try (Stream<Path> files = Files.list(repo.resolve("vars"))) {
            files.filter(f -> f.toString().endsWith(".groovy")).forEach(file -> {
                String name = file.getFileName().toString().replace(".groovy", "");
                steps.put(name, call -> load(file).invokeMethod("call", call.args().toArray()));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void defaultSteps() {
        for (String block : List.of("stage", "node", "script", "timeout", "dir", "withEnv")) {
            steps.put(block, this::body);
        }
        steps.put("echo", call -> log.add(String.valueOf(call.arg(0))));
        steps.put("error", call -> {
            throw new PipelineError(String.valueOf(call.arg(0)));
        });
        steps.put("sh", call -> null);
        steps.put("input", call -> null);
        steps.put("checkout", call -> Map.of("GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567",
                "GIT_BRANCH", "origin/main"));
        steps.put("pipeline", call -> declarative.run((Closure<?>) call.arg(0)));
        steps.put("buildImage", call -> call.named().getOrDefault("image", "ghcr.io/everbit/server") + ":" + call.named().get("sha"));
        steps.put("pushGhcr", call -> "sha256:" + "d".repeat(64));
        steps.put("sshComposeUp", call -> Map.of("previous", PREVIOUS_SHA, "current", call.named().get("sha")));
        steps.put("verifyHealth", call -> Map.of("healthy", true));
        steps.put("rollbackToSha", call -> "previous".equals(call.named().get("sha")) ? PREVIOUS_SHA : call.named().get("sha"));
        steps.put("everbitReleases", call -> List.of(
                Map.of("sha", "2222222222222222222222222222222222222222", "action", "deploy", "result", "success", "at", "2026-02-14T03:00:00Z"),
                Map.of("sha", PREVIOUS_SHA, "action", "deploy", "result", "success", "at", "2026-02-13T03:00:00Z")));
    }
}
