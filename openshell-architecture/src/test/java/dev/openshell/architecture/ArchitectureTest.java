package dev.openshell.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the modules' packages showing the architecture (see docs/architecture.md),
 * checked on the main classes of every module on this module's classpath. The rules name modules
 * by package ({@code dev.openshell.gateway..}, {@code dev.openshell.cli..}), so they also hold
 * for modules that are not on the classpath yet.
 */
class ArchitectureTest {

    /**
     * One class of each module, so that a rule cannot pass because a module's classes were
     * missing ({@code openshell-router} has no classes yet).
     */
    private static final List<String> ONE_CLASS_PER_MODULE = List.of(
            "dev.openshell.api.ErrorCode",
            "dev.openshell.policy.PolicyEngine",
            "dev.openshell.sandbox.proxy.EgressProxy",
            "dev.openshell.cli.OpenShellCli",
            "dev.openshell.gateway.GatewayApplication",
            "dev.openshell.bootstrap.pki.GatewayPki",
            "dev.openshell.bench.BenchmarkPolicies",
            "dev.openshell.testkit.Capabilities");

    /**
     * Classes whose dependencies the cycle rule leaves out: only the CLI's root command, which
     * registers the subcommands of {@code cli.*} packages that use types of its own package.
     * Everything else, in every module, is free of package cycles.
     */
    private static final Set<String> COMPOSITION_ROOTS = Set.of("dev.openshell.cli.OpenShellCli");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.openshell");
    }

    @Test
    void everyModuleIsImported() {
        assertThat(ONE_CLASS_PER_MODULE)
                .allSatisfy(name -> assertThat(classes.contain(name))
                        .as("%s is on the classpath", name)
                        .isTrue());
    }

    @Test
    void noModuleHasAPackageCycle() {
        slices().matching("dev.openshell.(**)")
                .namingSlices("package dev.openshell.$1")
                .should()
                .beFreeOfCycles()
                .ignoreDependency(compositionRoot(), DescribedPredicate.alwaysTrue())
                .check(classes);
    }

    @Test
    void policyAndApiImportNoOtherModuleOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("dev.openshell.policy..")
                .should()
                .dependOnClassesThat(resideInAPackage("dev.openshell..")
                        .and(not(resideInAnyPackage("dev.openshell.policy..")))
                        .as("classes of another openshell module"))
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.openshell.api..")
                .should()
                .dependOnClassesThat(resideInAPackage("dev.openshell..")
                        .and(not(resideInAnyPackage("dev.openshell.api..")))
                        .as("classes of another openshell module"))
                .check(classes);
    }

    @Test
    void nothingImportsTheGatewayOrTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.openshell.gateway..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.openshell.gateway..")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.openshell.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.openshell.cli..")
                .check(classes);
    }

    @Test
    void thePolicyModuleUsesNoNetty() {
        noClasses()
                .that()
                .resideInAPackage("dev.openshell.policy..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.netty..")
                .check(classes);
    }

    private static DescribedPredicate<JavaClass> compositionRoot() {
        return DescribedPredicate.describe(
                "a composition root " + COMPOSITION_ROOTS,
                // nested classes (DurationJson$Writer) belong to their top-level class
                c -> COMPOSITION_ROOTS.contains(c.getName().split("\\$", 2)[0]));
    }
}
