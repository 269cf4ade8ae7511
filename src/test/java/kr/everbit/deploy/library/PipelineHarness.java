package kr.everbit.deploy.library;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyClassLoader;
import hudson.model.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jenkins.model.CauseOfInterruption;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution.ExceededTimeout;

/**
 * Runs the repository's pipeline scripts with plain Groovy, the way Jenkins would load them as the shared library
 * {@code everbit-deploy} ({@code src/} on the class path, {@code vars/NAME.groovy} as global variables), and records
 * every step call with its arguments. Steps answer with realistic defaults; a test overrides any of them.
 * Unknown steps fail, so a typo in a script cannot pass unnoticed.
 *
 * <p>Time is virtual: a step takes no time unless a test says how long it takes ({@link #takes}). A {@code timeout}
 * block behaves like workflow-basic-steps' {@code TimeoutStepExecution}: when its time runs out during a step, that
 * step ends with {@code FlowInterruptedException(ABORTED, ExceededTimeout(block id))}, and when its body goes on
 * regardless, the next step past the 60 s grace period is ended the same way; the exception stops being an
 * "actual interruption" as it leaves the block that expired. The Abort button ({@link #abortDuring}) sets the
 * build's result to ABORTED and ends the running step with {@code FlowInterruptedException(ABORTED,
 * UserInterruption)}, as {@code CpsFlowExecution.interrupt} does. An exception that ends the script makes the result
 * FAILURE, or the result a {@code FlowInterruptedException} carries (CpsThreadGroup). A script that does not compile,
 * also by Declarative's validation ({@link DeclarativeValidation}), fails so before its first step.
 */
public final class PipelineHarness {
    public static final String PREVIOUS_SHA = "1111111111111111111111111111111111111111";
    /** TimeoutStepExecution's grace period between interrupting its body and ending it by force. */
    public static final Duration TIMEOUT_GRACE = Duration.ofSeconds(60);
    /** Who presses the Abort button in {@link #abortDuring}. */
    public static final String ABORTING_USER = "admin";

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
    private final Map<String, Duration> durations = new HashMap<>();
    private final Set<String> abortDuring = new HashSet<>();
    private final List<TimeoutBlock> timeouts = new ArrayList<>();
    private long now; // virtual milliseconds since the build started
    private int flowNodes;
    private Throwable failure;

    /** A running {@code timeout} block: its flow node id and when it acts next. */
    private static final class TimeoutBlock {
        final String nodeId;
        long deadline;
        boolean interrupted;

        TimeoutBlock(String nodeId, long deadline) {
            this.nodeId = nodeId;
            this.deadline = deadline;
        }
    }

    public PipelineHarness(Path repo) {
        this.repo = repo;
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(PipelineScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addImport("Library", LibraryAnnotation.class.getName());
        config.addCompilationCustomizers(imports, new DeclarativeValidation());
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

    /** Each call of the named step takes this long (virtual time; a step takes none unless told). */
    public PipelineHarness takes(String name, Duration duration) {
        durations.put(name, duration);
        return this;
    }

    /** Someone presses the Abort button while the named step runs (its first call). */
    public PipelineHarness abortDuring(String name) {
        abortDuring.add(name);
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

    /** Virtual time spent by the steps so far. */
    public Duration elapsed() {
        return Duration.ofMillis(now);
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

    /** Runs a step; what it throws (also a checked InterruptedException) reaches the script unchanged, as in Jenkins. */
    Object step(String name, Object[] args) {
        StepCall call = new StepCall(name, Arrays.asList(args), List.copyOf(blocks));
        calls.add(call);
        try {
            interruptions(name);
            return steps.get(name).run(call);
        } catch (Exception e) {
            throw sneaky(e);
        }
    }

    /** Runs a {@code timeout} block (also the one Declarative's {@code options { timeout(...) }} puts around the stages). */
    Object timeout(StepCall call) throws Exception {
        Object first = call.args().get(0);
        Map<?, ?> named = first instanceof Map<?, ?> m ? m : Map.of("time", first);
        for (Object key : named.keySet()) {
            if (!List.of("time", "unit", "activity").contains(key)) {
                throw new AssertionError("timeout has no parameter '" + key + "': " + named);
            }
        }
        if (Boolean.TRUE.equals(named.get("activity"))) {
            throw new AssertionError("the harness does not model timeout(activity: true)");
        }
        int time = ((Number) named.get("time")).intValue();
        TimeUnit unit = named.containsKey("unit") ? TimeUnit.valueOf(String.valueOf(named.get("unit"))) : TimeUnit.MINUTES;
        TimeoutBlock block = new TimeoutBlock("timeout-" + ++flowNodes, now + unit.toMillis(time));
        timeouts.add(block);
        try {
            return body(call);
        } catch (FlowInterruptedException e) {
            for (CauseOfInterruption cause : e.getCauses()) {
                if (cause instanceof ExceededTimeout expired && block.nodeId.equals(expired.getNodeId())) {
                    e.setActualInterruption(false);
                }
            }
            throw e;
        } finally {
            timeouts.remove(block);
        }
    }

    /** The Abort button, or the time of the step running into a running timeout block's next action. */
    private void interruptions(String name) throws FlowInterruptedException {
        if (abortDuring.remove(name)) {
            setResult(Result.ABORTED);
            throw new FlowInterruptedException(Result.ABORTED, true, new CauseOfInterruption.UserInterruption(ABORTING_USER));
        }
        Duration duration = durations.get(name);
        if (duration == null) {
            return;
        }
        long end = now + duration.toMillis();
        TimeoutBlock first = timeouts.stream().filter(b -> b.deadline < end)
                .min(Comparator.comparingLong(b -> b.deadline)).orElse(null);
        if (first == null) {
            now = end;
            return;
        }
        now = first.deadline;
        // First the body is interrupted; a body that goes on regardless is ended by force after the grace period.
        first.deadline = first.interrupted ? Long.MAX_VALUE : now + TIMEOUT_GRACE.toMillis();
        first.interrupted = true;
        throw new FlowInterruptedException(Result.ABORTED, new ExceededTimeout(first.nodeId));
    }

    private Object body(StepCall call) throws Exception {
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
            setResult(Result.SUCCESS);
        } catch (Exception e) {
            if (e instanceof FlowInterruptedException interrupted) {
                setResult(interrupted.getResult());
            } else if (e instanceof PipelineError || e instanceof StepFailure || e instanceof InterruptedException
                    || e instanceof MultipleCompilationErrorsException) {
                setResult(Result.FAILURE);
            } else {
                throw sneaky(e);
            }
            failure = e;
        }
        return this;
    }

    /** A build's result only gets worse (Run.setResult). */
    private void setResult(Result result) {
        Object current = currentBuild.get("result");
        Result worst = current == null ? result : resultNamed(String.valueOf(current)).combine(result);
        currentBuild.put("result", worst.toString());
    }

    private static Result resultNamed(String name) {
        for (Result r : List.of(Result.SUCCESS, Result.UNSTABLE, Result.FAILURE, Result.NOT_BUILT, Result.ABORTED)) {
            if (r.toString().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("not a build result: " + name);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
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
                steps.put(name, call -> {
                    try {
                        return load(file).invokeMethod("call", call.args().toArray());
                    } catch (InvokerInvocationException e) {
                        throw sneaky(e.getCause()); // what the script threw, as a Groovy call site would see it
                    }
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void defaultSteps() {
        for (String block : List.of("stage", "node", "script", "dir", "withEnv")) {
            steps.put(block, this::body);
        }
        steps.put("timeout", this::timeout);
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
