package dev.openshell.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Writes the command reference from the command classes to {@code target/cli.md} and fails while
 * the committed {@code docs/cli.md} differs: a changed option or description must change the docs
 * in the same commit.
 */
class CliReferenceTest {

    @Test
    void docsCliMdIsTheReferenceTheCommandsDescribe() throws Exception {
        Path module =
                Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path generated = module.resolve("target/cli.md");
        Path committed = module.getParent().resolve("docs/cli.md");
        String reference = CliReference.render();
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, reference, StandardCharsets.UTF_8);

        String current = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";

        assertThat(current)
                .as("docs/cli.md is stale; the build wrote the current reference to " + generated
                        + ": cp openshell-cli/target/cli.md docs/cli.md")
                .isEqualTo(reference);
    }

    @Test
    void everyCommandIsInTheReferenceOnce() {
        String reference = CliReference.render();

        for (String command : new String[] {
            "openshell gateway start",
            "openshell sandbox create",
            "openshell sandbox exec",
            "openshell policy set",
            "openshell provider create",
            "openshell apply",
            "openshell logs",
            "openshell doctor",
            "openshell run",
            "openshell completion"
        }) {
            assertThat(reference).containsOnlyOnce("\n## " + command + "\n");
        }
        assertThat(reference).doesNotContain("\u001b[");
    }
}
