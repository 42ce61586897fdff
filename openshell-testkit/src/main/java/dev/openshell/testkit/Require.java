package dev.openshell.testkit;

import org.opentest4j.TestAbortedException;

/**
 * What a test does when the machine lacks something it needs: on a developer's machine the test is
 * skipped and the reason printed; under CI ({@code CI=true}) or with {@code OPENSHELL_TEST_STRICT=1}
 * it fails, so a CI machine that lost root, {@code nft} or Docker goes red instead of silently
 * green.
 */
public final class Require {

    private Require() {}

    /**
     * Whether a missing capability fails the test instead of skipping it. The system property {@code
     * openshell.test.strict} ({@code true}/{@code false}), when set, decides instead of the
     * environment (the testkit's own tests use it).
     */
    public static boolean strict() {
        String property = System.getProperty("openshell.test.strict");
        if (property != null) {
            return Boolean.parseBoolean(property);
        }
        return "true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("OPENSHELL_TEST_STRICT"));
    }

    /** Skips (or, when {@link #strict()}, fails) the calling test unless {@code condition} holds. */
    public static void that(boolean condition, String reason) {
        if (!condition) {
            missing(reason);
        }
    }

    /** Skips (or, when {@link #strict()}, fails) the calling test, saying why. */
    public static void missing(String reason) {
        if (strict()) {
            throw new AssertionError("required capability missing (strict test mode: CI=true or"
                    + " OPENSHELL_TEST_STRICT=1): " + reason);
        }
        System.out.println("SKIPPED: " + reason);
        throw new TestAbortedException(reason);
    }
}
