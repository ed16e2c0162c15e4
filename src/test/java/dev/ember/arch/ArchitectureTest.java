package dev.ember.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The layering of DESIGN.md §1: dependencies point down only, backends are reached through the SPI alone,
 * and nothing below {@code serving} imports a framework, so the engine stays a plain library.
 */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ember");

    static final String[] FRAMEWORKS = {
        "io.quarkus..", "jakarta.enterprise..", "jakarta.inject..", "jakarta.ws.rs..", "io.grpc..", "com.google.protobuf..",
        "com.fasterxml.jackson..", "io.smallrye..", "io.vertx..", "org.eclipse.microprofile..", "io.micrometer..", "org.jboss.resteasy.."
    };

    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Core").definedBy("dev.ember.tensor..", "dev.ember.autograd..")
                .layer("Cpu").definedBy("dev.ember.backend.cpu..")
                .layer("Cuda").definedBy("dev.ember.backend.cuda..")
                .layer("Nn").definedBy("dev.ember.nn..")
                .layer("Optim").definedBy("dev.ember.optim..")
                .layer("Data").definedBy("dev.ember.data..")
                .layer("Io").definedBy("dev.ember.io..")
                .layer("Model").definedBy("dev.ember.model..")
                .layer("Serving").definedBy("dev.ember.serving..")
                .layer("Rest").definedBy("dev.ember.api.rest..")
                .layer("Grpc").definedBy("dev.ember.api.grpc..")
                .layer("Cli").definedBy("dev.ember.cli..")
                .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("Rest").mayNotBeAccessedByAnyLayer()
                .whereLayer("Grpc").mayNotBeAccessedByAnyLayer()
                .whereLayer("Serving").mayOnlyBeAccessedByLayers("Rest", "Grpc", "Cli")
                .whereLayer("Model").mayOnlyBeAccessedByLayers("Serving", "Rest", "Grpc", "Cli")
                .whereLayer("Io").mayOnlyBeAccessedByLayers("Model", "Serving", "Rest", "Grpc", "Cli")
                .whereLayer("Optim").mayOnlyBeAccessedByLayers("Model", "Serving", "Rest", "Grpc", "Cli")
                // datasets and loaders feed training loops; they use only the core
                .whereLayer("Data").mayOnlyBeAccessedByLayers("Model", "Serving", "Rest", "Grpc", "Cli")
                .whereLayer("Nn").mayOnlyBeAccessedByLayers("Optim", "Model", "Serving", "Rest", "Grpc", "Cli")
                // backends are found through ServiceLoader; nothing names them, and they do not name each other
                .whereLayer("Cpu").mayNotBeAccessedByAnyLayer()
                .whereLayer("Cuda").mayNotBeAccessedByAnyLayer()
                .withOptionalLayers(true);
    }

    static ArchRule engineIsFrameworkFree() {
        return noClasses().that().resideInAnyPackage("dev.ember.tensor..", "dev.ember.autograd..", "dev.ember.backend..", "dev.ember.nn..",
                        "dev.ember.optim..", "dev.ember.data..", "dev.ember.io..", "dev.ember.model..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("the engine is a plain Java library a user could embed (DESIGN.md §1)");
    }

    @Test
    void dependenciesPointDown() { layers().check(MAIN); }

    @Test
    void nothingBelowServingImportsAFramework() { engineIsFrameworkFree().check(MAIN); }
}
