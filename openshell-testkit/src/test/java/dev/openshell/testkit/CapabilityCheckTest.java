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

    /** A project's own composite condition, as a module's tests declare it. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @RequiresSeccomp
    @RequiresTool("openshell-no-such-tool")
    @interface MissingToolComposite {}

    /** The class's own tool is present; the composite's is not, and must still be checked. */
    @MissingToolComposite
    @RequiresTool("sh")
    static class CompositeWithAMissingTool {
        @Test
        void usesThem() {}
    }

    @RequiresTool("sh")
    @RequiresTool("/bin/sh")
    static class TwoPresentTools {
        @Test
        void usesThem() {}
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
    void toolsOfAMetaAnnotationAddUpWithTheClassOwn() {
        System.setProperty("openshell.test.strict", "true");

        assertThat(run(CompositeWithAMissingTool.class).allEvents().failed().count())
                .isEqualTo(1);
        run(TwoPresentTools.class)
                .testEvents()
                .assertStatistics(s -> s.succeeded(1).aborted(0).failed(0));
    }

    @Test
    void presentCapabilitiesPass() {
        assertThat(Capabilities.tool("/bin/sh")).isEmpty();
        assertThat(Capabilities.tool("/openshell/no-such-tool"))
                .get()
                .asString()
                .contains("not executable");
        assertThat(Capabilities.seccomp()).isEmpty();
        assertThat(Capabilities.tool("sh")).isEmpty();
        assertThat(Capabilities.tool("openshell-no-such-tool")).get().asString().contains("openshell-no-such-tool");
    }

    private static org.junit.platform.testkit.engine.EngineExecutionResults run(Class<?> test) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(test))
                .execute();
    }
}
