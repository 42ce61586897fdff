package dev.openshell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw} of this checkout on an older Java says which Java the build needs, instead of
 * the JVM's "Unrecognized option" for a flag in {@code .mvn/jvm.config}.
 */
class MavenWrapperIT {

    private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    private static Path checkout() {
        return Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .normalize()
                .getParent();
    }

    private record Run(int exitCode, String output) {}

    private static Run mvnw(String javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("./mvnw", "-v")
                .directory(checkout().toFile())
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    @Test
    void anOlderJavaIsNamedWithTheOneNeeded() throws Exception {
        boolean present = Files.isExecutable(JAVA_17.resolve("bin/java"));
        if (!present) {
            System.out.println("SKIPPED: needs an older JDK at " + JAVA_17);
        }
        assumeTrue(present, "needs an older JDK at " + JAVA_17);

        Run r = mvnw(JAVA_17.toString());

        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.output())
                .startsWith("mvnw: this project builds with Java 25 or newer; found Java 17")
                .contains("export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64")
                .doesNotContain("Unrecognized option");
    }

    @Test
    void aMissingJavaIsNamedToo() throws Exception {
        Run r = mvnw("/nonexistent-jdk");

        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).startsWith("mvnw: this project builds with Java 25 or newer; found no Java");
    }

    @Test
    void java25Builds() throws Exception {
        Run r = mvnw(System.getProperty("java.home"));

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("Apache Maven ");
    }
}
