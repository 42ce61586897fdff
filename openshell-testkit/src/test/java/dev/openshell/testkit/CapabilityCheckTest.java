package dev.openshell.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

class CapabilityCheckTest {

    /** Run only through the engine test kit below. */
    static class NeedsAMissingTool {
        @Test
        @RequiresTool("openshell-no-such-tool")
        void usesIt() {}

        @Test
        void needsNothing() {}
    }

    @RequiresTool("openshell-no-such-tool")
    static class WholeClassNeedsAMissingTool {
        @Test
        void usesIt() {}
    }

    @AfterEach
    void clear() {
        System.clearProperty("openshell.test.strict");
    }

    @Test
    void aMissingCapabilitySkipsLocally() {
        System.setProperty("openshell.test.strict", "false");

        run(NeedsAMissingTool.class)
                .testEvents()
                .assertStatistics(s -> s.succeeded(1).skipped(0).aborted(1).failed(0));
        run(WholeClassNeedsAMissingTool.class)
                .testEvents()
                .assertStatistics(s -> s.succeeded(0).failed(0));
    }

    @Test
    void aMissingCapabilityFailsUnderCi() {
        System.setProperty("openshell.test.strict", "true");

        run(NeedsAMissingTool.class)
                .testEvents()
                .assertStatistics(s -> s.succeeded(1).aborted(0).failed(1));
        assertThat(run(WholeClassNeedsAMissingTool.class).allEvents().failed().count())
                .isEqualTo(1);
    }

    @Test
    void presentCapabilitiesPass() {
        assertThat(Capabilities.tool("sh")).isEmpty();
        assertThat(Capabilities.tool("openshell-no-such-tool")).get().asString().contains("openshell-no-such-tool");
    }

    private static org.junit.platform.testkit.engine.EngineExecutionResults run(Class<?> test) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(test))
                .execute();
    }
}
