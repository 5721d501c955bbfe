package org.bfabench.harness.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.Serializable;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The module rules of ARCHITECTURE.md, checked on the compiled classes of every module: the built-in
 * plugins are runtime dependencies of the harness, so their jars are on this test class path
 * (test classes excluded).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {
    private static final List<String> PLUGIN_PACKAGES = List.of(
            "org.bfabench.datasets..", "org.bfabench.models..", "org.bfabench.defenses..", "org.bfabench.attacks..");

    private final JavaClasses ours = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.bfabench");

    /** Guards against rules passing vacuously because a module's classes are not on the class path. */
    @ParameterizedTest
    @ValueSource(strings = {"org.bfabench.spi", "org.bfabench.nn", "org.bfabench.datasets", "org.bfabench.models",
            "org.bfabench.defenses", "org.bfabench.attacks", "org.bfabench.harness"})
    void everyModulesClassesAreVisibleToThisTest(String pkg) {
        assertTrue(ours.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
                "no class of " + pkg + " on the harness test class path: the rules below cannot check it");
    }

    @Test
    void theSpiDependsOnTheJdkOnly() {
        classes().that().resideInAPackage("org.bfabench.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.bfabench.spi..")
                .because("the SPI is all a third-party plugin compiles against: no Guice, ND4J, JavaCPP or harness type may cross it")
                .check(ours);
    }

    @Test
    void theHarnessNeverUsesAPluginClass() {
        noClasses().that().resideInAPackage("org.bfabench.harness..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bfabench.nn..", "org.bfabench.datasets..",
                        "org.bfabench.models..", "org.bfabench.defenses..", "org.bfabench.attacks..")
                .because("the harness reaches plugins only through the SPI, so a third-party jar is a peer of the built-ins")
                .check(ours);
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.bfabench.datasets..", "org.bfabench.models..", "org.bfabench.defenses..",
            "org.bfabench.attacks.."})
    void aPluginModuleUsesOnlyTheSpiAndNnOfOurCode(String plugin) {
        classes().that().resideInAPackage(plugin)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("org.bfabench..")
                        .or(resideInAnyPackage("org.bfabench.spi..", "org.bfabench.nn..", plugin)))
                .check(ours);
    }

    @Test
    void nnUsesOnlyTheSpiOfOurCode() {
        classes().that().resideInAPackage("org.bfabench.nn..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("org.bfabench..")
                        .or(resideInAnyPackage("org.bfabench.spi..", "org.bfabench.nn..")))
                .check(ours);
    }

    @Test
    void pluginsNeverSeeGuice() {
        noClasses().that().resideInAnyPackage(PLUGIN_PACKAGES.toArray(String[]::new))
                .or().resideInAnyPackage("org.bfabench.nn..", "org.bfabench.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "jakarta.inject..", "javax.inject..")
                .check(ours);
    }

    @Test
    void onlyExceptionsAreSerializable() {
        noClasses().that().resideInAPackage("org.bfabench..")
                .and().areNotEnums()
                .and(not(com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(Throwable.class)))
                // a fork/join task inherits Serializable from the JDK's ForkJoinTask and is never persisted
                .and(not(com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(
                        java.util.concurrent.ForkJoinTask.class)))
                .should().implement(Serializable.class)
                .because("no Java serialization: models, caches and results use documented formats (JSON, CSV, .npz)")
                .check(ours);
    }

    @Test
    void nothingUsesJavaObjectStreams() {
        noClasses().that().resideInAPackage("org.bfabench..")
                .should().dependOnClassesThat().areAssignableTo(java.io.ObjectOutputStream.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.io.ObjectInputStream.class)
                .because("no Java serialization: models, caches and results use documented formats (JSON, CSV, .npz)")
                .check(ours);
    }
}
