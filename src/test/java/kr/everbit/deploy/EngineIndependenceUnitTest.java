package kr.everbit.deploy;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine knows no door: nothing of Jenkins, picocli, the CLI or the Jenkins door reaches into it; and its own
 * packages layer without back-arrows.
 */
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

    @Test
    void theEngineKnowsNoCommandLineParser() {
        noClasses().that().resideInAPackage("kr.everbit.deploy.engine..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(CLASSES);
    }

    /**
     * Bottom to top: the value types and settings (engine, engine.settings), processes (exec), docker commands
     * (docker), remote scripts (remote), the SSH session (ssh), what runs over it (health, ledger), the dry run
     * (dryrun), and the flows on top (flow, with the proxy switch mode: the VM session and the proxy switch use each
     * other; and the swarm target, whose flows use flow's verify and its exceptions). A layer may use only layers below it.
     */
    @Test
    void theEnginePackagesLayerWithoutBackArrows() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("values").definedBy("kr.everbit.deploy.engine", "kr.everbit.deploy.engine.settings..")
                .layer("exec").definedBy("kr.everbit.deploy.engine.exec..")
                .layer("docker").definedBy("kr.everbit.deploy.engine.docker..")
                .layer("remote").definedBy("kr.everbit.deploy.engine.remote..")
                .layer("ssh").definedBy("kr.everbit.deploy.engine.ssh..")
                .layer("health").definedBy("kr.everbit.deploy.engine.health..")
                .layer("ledger").definedBy("kr.everbit.deploy.engine.ledger..")
                .layer("dryrun").definedBy("kr.everbit.deploy.engine.dryrun..")
                .layer("flow").definedBy("kr.everbit.deploy.engine.flow..", "kr.everbit.deploy.engine.proxy..",
                        "kr.everbit.deploy.engine.swarm..")
                .whereLayer("flow").mayNotBeAccessedByAnyLayer()
                .whereLayer("dryrun").mayOnlyBeAccessedByLayers("flow")
                .whereLayer("ledger").mayOnlyBeAccessedByLayers("flow")
                .whereLayer("health").mayOnlyBeAccessedByLayers("flow")
                .whereLayer("ssh").mayOnlyBeAccessedByLayers("health", "ledger", "dryrun", "flow")
                .whereLayer("remote").mayOnlyBeAccessedByLayers("ssh", "health", "ledger", "dryrun", "flow")
                .whereLayer("docker").mayOnlyBeAccessedByLayers("remote", "ssh", "health", "ledger", "dryrun", "flow")
                .whereLayer("exec").mayOnlyBeAccessedByLayers("docker", "remote", "ssh", "health", "ledger", "dryrun", "flow")
                .check(CLASSES.that(describe("engine classes",
                        c -> c.getPackageName().startsWith("kr.everbit.deploy.engine"))));
    }
}
