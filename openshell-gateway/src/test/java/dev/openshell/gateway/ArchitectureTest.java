package dev.openshell.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.web.bind.annotation.RestController;

/** The gateway's shape: feature packages without cycles, thin package-private controllers, a driver SPI that knows no feature. */
@AnalyzeClasses(packages = "dev.openshell.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesHaveNoCycles =
            slices().matching("dev.openshell.gateway.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule controllersArePackagePrivate =
            classes().that().areAnnotatedWith(RestController.class).should().notBePublic();

    @ArchTest
    static final ArchRule theDriverSpiKnowsNoFeature = noClasses()
            .that()
            .resideInAPackage("dev.openshell.gateway.compute..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.openshell.gateway.sandbox..",
                    "dev.openshell.gateway.policy..",
                    "dev.openshell.gateway.provider..",
                    "dev.openshell.gateway.token..",
                    "dev.openshell.gateway.auth..",
                    "dev.openshell.gateway.web..",
                    "dev.openshell.gateway.events..");

    @ArchTest
    static final ArchRule conventionsKnowNoFeature = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.openshell.gateway.web..", "dev.openshell.gateway.db..", "dev.openshell.gateway.config..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.openshell.gateway.sandbox..",
                    "dev.openshell.gateway.policy..",
                    "dev.openshell.gateway.provider..",
                    "dev.openshell.gateway.token..",
                    "dev.openshell.gateway.auth..",
                    "dev.openshell.gateway.events..");
}
