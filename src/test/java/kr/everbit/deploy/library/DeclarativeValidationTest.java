package kr.everbit.deploy.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declarative rejects, when the script compiles and before any stage, what pipeline-model-definition rejects: an
 * unknown option, a misspelled timeout unit or parameter, a stage directly in steps. The shipped Jenkinsfiles pass,
 * and one mistake in them is enough to fail the build without a step.
 */
class DeclarativeValidationTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final String SHA = "3f9c2ab5d0e14c7a9b8e6f5d4c3b2a1908172635";

    @TempDir
    Path dir;

    static PipelineHarness main() {
        return new PipelineHarness(REPO).env("BRANCH_NAME", "main").param("SHA", "previous")
                .onStep("checkout", call -> Map.of("GIT_COMMIT", SHA, "GIT_BRANCH", "origin/main"));
    }

    /** Runs a copy of a shipped pipeline with one text replaced (which must be there). */
    PipelineHarness shippedWith(String path, String text, String replacement) throws IOException {
        String source = Files.readString(REPO.resolve(path));
        assertThat(source).contains(text);
        Path copy = dir.resolve(Path.of(path).getFileName());
        Files.writeString(copy, source.replace(text, replacement));
        return main().run(copy.toString());
    }

    PipelineHarness script(String source) throws IOException {
        Path file = dir.resolve("Jenkinsfile");
        Files.writeString(file, source);
        return main().run(file.toString());
    }

    /** The build failed to compile with this many errors, whose text contains the fragments; no step ran. */
    static void assertRejected(PipelineHarness run, int errors, String... fragments) {
        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.stepNames()).as("no step runs").isEmpty();
        assertThat(run.failure()).isInstanceOfSatisfying(MultipleCompilationErrorsException.class, e -> {
            assertThat(e.getErrorCollector().getErrorCount()).isEqualTo(errors);
            assertThat(e.getMessage()).contains(fragments);
        });
    }

    @Test
    void theShippedPipelinesPassTheValidation() {
        for (String path : new String[] {"Jenkinsfile", JenkinsfilesTest.ROLLBACK}) {
            PipelineHarness run = main().run(path);

            assertThat(run.failure()).as(path).isNull();
            assertThat(run.result()).as(path).isEqualTo("SUCCESS");
        }
    }

    @Test
    void anUnknownOptionIsRejectedWithItsLineAndTheValidOptions() throws IOException {
        PipelineHarness run = shippedWith("Jenkinsfile", "disableConcurrentBuilds()", "disableConcurentBuilds()");

        assertRejected(run, 1, "Jenkinsfile: 15: Invalid option type \"disableConcurentBuilds\". Valid option types: [buildDiscarder,",
                "disableConcurrentBuilds, ", "timeout, timestamps] @ line 15, column 9.");
    }

    @Test
    void aMisspelledTimeoutUnitIsRejected() throws IOException {
        PipelineHarness run = shippedWith(JenkinsfilesTest.ROLLBACK, "unit: 'MINUTES'", "unit: 'MINUTS'");

        assertRejected(run, 1, "Expecting \"class java.util.concurrent.TimeUnit\" for parameter \"unit\" but got \"MINUTS\" "
                + "of type class java.lang.String instead @ line 15");
    }

    @Test
    void aMisspelledOrMistypedTimeoutParameterIsRejected() throws IOException {
        assertRejected(shippedWith("Jenkinsfile", "timeout(time: 45,", "timeout(tme: 45,"), 1,
                "Invalid parameter \"tme\", did you mean \"time\"?");
        assertRejected(shippedWith("Jenkinsfile", "timeout(time: 45,", "timeout(time: '45',"), 1,
                "Expecting \"int\" for parameter \"time\" but got \"45\" of type class java.lang.String instead");
    }

    @Test
    void aStageDirectlyInStepsOrInABlockStepIsRejectedButNotInsideScript() throws IOException {
        String stageInSteps = "Invalid step \"stage\" used - not allowed in this context - "
                + "The stage step cannot be used in Declarative Pipelines";
        assertRejected(script("""
                pipeline {
                    agent any
                    stages {
                        stage('Build') {
                            steps {
                                echo 'before'
                                stage('Inner') { echo 'inner' }
                                dir('sub') { stage('Deeper') { echo 'deeper' } }
                            }
                        }
                    }
                }
                """), 2, stageInSteps + " @ line 7, column 17.", stageInSteps + " @ line 8, column 30.");

        PipelineHarness inScript = script("""
                pipeline {
                    agent any
                    stages {
                        stage('Build') {
                            steps {
                                script { stage('Inner') { echo 'inner' } }
                            }
                        }
                    }
                }
                """);
        assertThat(inScript.result()).isEqualTo("SUCCESS");
        assertThat(inScript.stages()).containsExactly("Build", "Inner");
        assertThat(inScript.log()).containsExactly("inner");
    }

    @Test
    void everyMistakeIsReportedAtOnce() throws IOException {
        assertRejected(script("""
                pipeline {
                    agent any
                    options {
                        timeout(time: 5, unit: 'MINUTE')
                        timeout(time: 6, unit: 'MINUTES')
                        retries(2)
                    }
                    stages {
                        stage('Build') { steps { echo 'x' } }
                    }
                }
                """), 3, "\"MINUTE\"", "Duplicate option name: \"timeout\"", "Invalid option type \"retries\"");
    }
}
