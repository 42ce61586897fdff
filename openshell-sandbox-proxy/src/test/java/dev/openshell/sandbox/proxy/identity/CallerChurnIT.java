package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Drives the resolver like the proxy benchmark's rate test ({@link ChurnDriver}: a real python3
 * client with 16 asyncio workers churning connections, a Netty server resolving each). Every
 * identity must be the client's; the probes per resolve are asserted loosely, so that a regression
 * in descriptor prediction shows. What a resolve costs is {@code CallerIdentityBench}'s to report
 * ({@code openshell-bench}).
 */
class CallerChurnIT {

    private static final int WARM_UP = 1500;
    private static final int MEASURED = 4000;

    @Test
    void everyConnectionOfAChurningClientIsResolvedCorrectlyWithFewProbes() throws Exception {
        ChurnDriver.Churn churn = ChurnDriver.churn(WARM_UP, MEASURED);

        assertThat(churn.failures()).isEmpty();
        assertThat(churn.stats().resolves()).isEqualTo(MEASURED);
        assertThat((double) churn.stats().fdProbes() / MEASURED)
                .as("fd probes per resolve")
                .isLessThanOrEqualTo(3.0);
    }
}
