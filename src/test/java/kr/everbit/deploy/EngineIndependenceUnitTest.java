package kr.everbit.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine knows no door: nothing of Jenkins, the CLI or the Jenkins door reaches into it. */
class EngineIndependenceUnitTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("kr.everbit.deploy");

    @Test
    void theEngineImportsNothingFromJenkins() {
        noClasses().that().resideInAPackage("kr.everbit.deploy.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..", "com.cloudbees..")
                .check(CLASSES);
    }

    @Test
    void theEngineKnowsNoDoor() {
        noClasses().that().resideInAPackage("kr.everbit.deploy.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("kr.everbit.deploy.cli..", "kr.everbit.deploy.jenkins..")
                .check(CLASSES);
    }
}
