package dev.openshell.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks {@link RequiresRoot}, {@link RequiresTool}, {@link RequiresLandlock} and {@link
 * RequiresSeccomp} before a test class (annotations on the class) and before each test (annotations
 * on the method), directly present or on a meta-annotation; what is missing goes through {@link
 * Require}.
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
        if (AnnotationSupport.isAnnotated(element, RequiresSeccomp.class)) {
            require(Capabilities.seccomp());
        }
        for (RequiresTool tools : AnnotationSupport.findRepeatableAnnotations(element, RequiresTool.class)) {
            for (String tool : tools.value()) {
                require(Capabilities.tool(tool));
            }
        }
    }

    private static void require(Optional<String> missing) {
        missing.ifPresent(Require::missing);
    }
}
