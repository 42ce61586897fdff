package dev.openshell.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks {@link RequiresRoot}, {@link RequiresTool} and {@link RequiresLandlock} before a test class
 * (annotations on the class) and before each test (annotations on the method); what is missing
 * goes through {@link Require}.
 */
public final class CapabilityCheck implements BeforeAllCallback, BeforeEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        check(context.getRequiredTestClass());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        check(context.getRequiredTestMethod());
    }

    private static void check(AnnotatedElement element) {
        if (AnnotationSupport.isAnnotated(element, RequiresRoot.class)) {
            require(Capabilities.root());
        }
        if (AnnotationSupport.isAnnotated(element, RequiresLandlock.class)) {
            require(Capabilities.landlock());
        }
        AnnotationSupport.findAnnotation(element, RequiresTool.class).ifPresent(tools -> {
            for (String tool : tools.value()) {
                require(Capabilities.tool(tool));
            }
        });
    }

    private static void require(Optional<String> missing) {
        missing.ifPresent(Require::missing);
    }
}
