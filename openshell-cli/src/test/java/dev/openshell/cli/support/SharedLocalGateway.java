package dev.openshell.cli.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test classes one {@link LocalDriverGateway} for the whole test run: started by the first
 * class that asks, kept in JUnit's root store, and destroyed when the run ends (before the JVM
 * exits, so no gateway, sandbox host or sandbox outlives the tests). Use with {@code
 * @ExtendWith(SharedLocalGateway.class)} and a {@code LocalDriverGateway} parameter of
 * {@code @BeforeAll}.
 */
public final class SharedLocalGateway implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedLocalGateway.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalDriverGateway.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        LocalDriverGateway.class, k -> LocalDriverGateway.start("sessions"), LocalDriverGateway.class);
    }
}
