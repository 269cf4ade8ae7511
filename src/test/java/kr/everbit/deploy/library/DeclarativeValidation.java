package kr.everbit.deploy.library;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Declarative's compile-time validation (pipeline-model-definition's ModelValidatorImpl and
 * BlockedStepsAndMethodCalls), for what our Jenkinsfiles use: {@code options {}} entries, the parameters of the
 * {@code timeout} option, and steps that Declarative forbids in {@code steps {}} outside {@code script {}}. As in
 * Jenkins, a script with a top-level {@code pipeline {}} block is checked while it compiles: every error is collected
 * with its line and column and the script fails to compile (MultipleCompilationErrorsException), so no stage runs.
 * The messages are Declarative's.
 */
final class DeclarativeValidation extends CompilationCustomizer {
    /**
     * The option types of the shipped plugin set (deploy/jenkins/plugins.txt) that a Jenkinsfile may reach for:
     * Declarative's own options, job properties and block-scoped wrapper steps. A real Jenkins lists every installed
     * one; an option missing here is rejected, so adding one to a Jenkinsfile means adding it here.
     */
    static final Set<String> OPTIONS = new TreeSet<>(List.of("buildDiscarder", "checkoutToSubdirectory",
            "disableConcurrentBuilds", "disableRestartFromStage", "disableResume", "durabilityHint",
            "newContainerPerStage", "overrideIndexTriggers", "parallelsAlwaysFailFast", "preserveStashes", "quietPeriod",
            "rateLimitBuilds", "retry", "skipDefaultCheckout", "skipStagesAfterUnstable", "timeout", "timestamps"));
    /** TimeoutStep's parameters and their types (workflow-basic-steps). */
    static final Map<String, Class<?>> TIMEOUT_PARAMETERS = Map.of("time", int.class, "unit", TimeUnit.class,
            "activity", boolean.class);
    /** Steps Declarative refuses as steps of a stage, with its reasons. */
    static final Map<String, String> BLOCKED_STEPS = Map.of(
            "stage", "The stage step cannot be used in Declarative Pipelines",
            "properties", "The properties step cannot be used in Declarative Pipelines");

    DeclarativeValidation() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        for (Statement statement : source.getAST().getStatementBlock().getStatements()) {
            MethodCallExpression pipeline = call(statement);
            if (pipeline != null && pipeline.getMethodAsString().equals("pipeline") && block(pipeline) != null) {
                new Check(source).pipeline(block(pipeline));
            }
        }
    }

    private static MethodCallExpression call(Statement statement) {
        return statement instanceof ExpressionStatement e && e.getExpression() instanceof MethodCallExpression call
                && call.isImplicitThis() ? call : null;
    }

    private static ClosureExpression block(MethodCallExpression call) {
        List<Expression> args = arguments(call);
        return !args.isEmpty() && args.get(args.size() - 1) instanceof ClosureExpression closure ? closure : null;
    }

    private static List<Expression> arguments(MethodCallExpression call) {
        return call.getArguments() instanceof TupleExpression tuple ? tuple.getExpressions() : List.of(call.getArguments());
    }

    private static List<Statement> statements(ClosureExpression block) {
        return block.getCode() instanceof BlockStatement b ? b.getStatements() : List.of(block.getCode());
    }

    /** One script's errors, reported to its compilation as Groovy reports its own. */
    private record Check(SourceUnit source) {
        void error(ASTNode where, String message) {
            source.getErrorCollector().addError(new SyntaxErrorMessage(
                    new SyntaxException(message, where.getLineNumber(), where.getColumnNumber()), source));
        }

        void pipeline(ClosureExpression pipeline) {
            for (Statement statement : statements(pipeline)) {
                MethodCallExpression section = call(statement);
                if (section == null || block(section) == null) {
                    continue;
                }
                switch (section.getMethodAsString()) {
                    case "options" -> options(block(section));
                    case "stages" -> stages(block(section));
                    default -> { }
                }
            }
        }

        void options(ClosureExpression options) {
            List<String> seen = new ArrayList<>();
            for (Statement statement : statements(options)) {
                MethodCallExpression option = call(statement);
                if (option == null) {
                    error(statement, "Expected an option");
                    continue;
                }
                String name = option.getMethodAsString();
                if (seen.contains(name)) {
                    error(options, "Duplicate option name: \"" + name + "\"");
                }
                seen.add(name);
                if (!OPTIONS.contains(name)) {
                    error(option, "Invalid option type \"" + name + "\". Valid option types: " + OPTIONS);
                } else if (name.equals("timeout")) {
                    timeout(option);
                }
            }
        }

        void timeout(MethodCallExpression timeout) {
            for (Expression argument : arguments(timeout)) {
                if (!(argument instanceof MapExpression named)) {
                    continue;
                }
                for (MapEntryExpression entry : named.getMapEntryExpressions()) {
                    String key = entry.getKeyExpression().getText();
                    Class<?> type = TIMEOUT_PARAMETERS.get(key);
                    if (type == null) {
                        error(entry.getKeyExpression(), "Invalid parameter \"" + key + "\", did you mean \"" + closest(key) + "\"?");
                    } else if (entry.getValueExpression() instanceof ConstantExpression constant && !fits(constant.getValue(), type)) {
                        Object value = constant.getValue();
                        error(constant, "Expecting \"" + type + "\" for parameter \"" + key + "\" but got \"" + value
                                + "\" of type " + (value == null ? null : value.getClass()) + " instead");
                    }
                }
            }
        }

        /** Whether a literal converts to the parameter's type as Groovy's castToType does, minus its string/number leniency. */
        private static boolean fits(Object value, Class<?> type) {
            if (type == TimeUnit.class) {
                return value instanceof String s && List.of(TimeUnit.values()).stream().anyMatch(u -> u.name().equals(s));
            }
            return type == int.class ? value instanceof Integer : value instanceof Boolean;
        }

        private static String closest(String key) {
            return TIMEOUT_PARAMETERS.keySet().stream().min(Comparator.comparingInt(p -> distance(key, p))).orElseThrow();
        }

        void stages(ClosureExpression stages) {
            for (Statement statement : statements(stages)) {
                MethodCallExpression stage = call(statement);
                if (stage == null || !stage.getMethodAsString().equals("stage") || block(stage) == null) {
                    continue;
                }
                for (Statement part : statements(block(stage))) {
                    MethodCallExpression section = call(part);
                    if (section != null && block(section) != null) {
                        switch (section.getMethodAsString()) {
                            case "steps" -> steps(block(section));
                            case "stages" -> stages(block(section));
                            default -> { }
                        }
                    }
                }
            }
        }

        /** The steps of a stage and of the block steps in it; a script {} block is plain Groovy, not checked. */
        void steps(ClosureExpression steps) {
            for (Statement statement : statements(steps)) {
                MethodCallExpression step = call(statement);
                if (step == null) {
                    continue;
                }
                String name = step.getMethodAsString();
                if (BLOCKED_STEPS.containsKey(name)) {
                    error(step, "Invalid step \"" + name + "\" used - not allowed in this context - " + BLOCKED_STEPS.get(name));
                } else if (!name.equals("script") && block(step) != null) {
                    steps(block(step));
                }
            }
        }
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
