package dev.openshell.cli.gateway;

import dev.openshell.cli.support.CliEnvironment;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the gateway's runnable jar: {@code OPENSHELL_GATEWAY_JAR}, else {@code openshell-gateway.jar}
 * beside the CLI's jar (a distribution), else the build output of a checkout ({@code
 * openshell-gateway/target/openshell-gateway-<version>.jar} next to {@code openshell-cli/}).
 */
final class GatewayJar {

    static final String ENV = "OPENSHELL_GATEWAY_JAR";

    private GatewayJar() {}

    /** The jar to run, or the first place it was looked for (so the error can name it). */
    static Path locate(CliEnvironment env) {
        if (env.get(ENV) != null) {
            return Path.of(env.get(ENV)).toAbsolutePath();
        }
        List<Path> candidates = candidates(codeSource());
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(candidates.getFirst());
    }

    static List<Path> candidates(Path codeSource) {
        List<Path> out = new ArrayList<>();
        Path dir = Files.isDirectory(codeSource) ? codeSource : codeSource.getParent();
        out.add(dir.resolve("openshell-gateway.jar"));
        // A checkout: openshell-cli/target/{openshell.jar,classes} -> openshell-gateway/target/
        Path target =
                dir.getFileName() != null && dir.getFileName().toString().equals("classes") ? dir.getParent() : dir;
        Path module = target.getParent();
        if (module != null && module.getParent() != null) {
            Path gatewayTarget = module.getParent().resolve("openshell-gateway").resolve("target");
            if (Files.isDirectory(gatewayTarget)) {
                try (Stream<Path> jars = Files.list(gatewayTarget)) {
                    jars.filter(GatewayJar::isRunnableJar).sorted().forEach(out::add);
                } catch (IOException e) {
                    // not a checkout after all
                }
            }
        }
        return out;
    }

    /**
     * The supervisor's jar the gateway's local driver runs: {@code OPENSHELL_SANDBOX_JAR}, else
     * {@code openshell-sandbox.jar} beside the CLI's jar, else a checkout's {@code
     * openshell-sandbox-proxy/target/openshell-sandbox.jar}; empty when none exists (the gateway
     * then looks beside its own jar). Needed because the gateway runs from an unpacked copy in the
     * cache, far from the checkout.
     */
    static java.util.Optional<Path> sandboxJar(CliEnvironment env) {
        if (env.get("OPENSHELL_SANDBOX_JAR") != null) {
            return java.util.Optional.of(
                    Path.of(env.get("OPENSHELL_SANDBOX_JAR")).toAbsolutePath());
        }
        Path codeSource = codeSource();
        Path dir = Files.isDirectory(codeSource) ? codeSource : codeSource.getParent();
        List<Path> candidates = new ArrayList<>(List.of(dir.resolve("openshell-sandbox.jar")));
        Path target =
                dir.getFileName() != null && dir.getFileName().toString().equals("classes") ? dir.getParent() : dir;
        Path module = target.getParent();
        if (module != null && module.getParent() != null) {
            candidates.add(module.getParent()
                    .resolve("openshell-sandbox-proxy")
                    .resolve("target")
                    .resolve("openshell-sandbox.jar"));
        }
        return candidates.stream()
                .filter(Files::isRegularFile)
                .map(Path::toAbsolutePath)
                .findFirst();
    }

    /**
     * The CLI's own runnable jar, to copy to a remote host: {@code OPENSHELL_CLI_JAR}, else the jar
     * this code runs from, else a checkout's {@code openshell-cli/target/openshell.jar}; empty when
     * none exists.
     */
    static java.util.Optional<Path> cliJar(CliEnvironment env) {
        if (env.get("OPENSHELL_CLI_JAR") != null) {
            return java.util.Optional.of(Path.of(env.get("OPENSHELL_CLI_JAR")).toAbsolutePath());
        }
        Path codeSource = codeSource();
        if (Files.isRegularFile(codeSource)
                && codeSource.getFileName().toString().endsWith(".jar")) {
            return java.util.Optional.of(codeSource.toAbsolutePath());
        }
        Path dir = Files.isDirectory(codeSource) ? codeSource : codeSource.getParent();
        Path target =
                dir.getFileName() != null && dir.getFileName().toString().equals("classes") ? dir.getParent() : dir;
        return java.util.Optional.of(target.resolve("openshell.jar"))
                .filter(Files::isRegularFile)
                .map(Path::toAbsolutePath);
    }

    /** What {@code gateway start --remote} copies: the CLI's, the gateway's and the sandbox host's jars. */
    static dev.openshell.cli.remote.Distribution distribution(CliEnvironment env) {
        java.util.Map<String, Path> files = new java.util.LinkedHashMap<>();
        cliJar(env).ifPresent(p -> files.put("openshell.jar", p));
        Path gateway = locate(env);
        if (Files.isRegularFile(gateway)) {
            files.put("openshell-gateway.jar", gateway);
        }
        sandboxJar(env).ifPresent(p -> files.put("openshell-sandbox.jar", p));
        return new dev.openshell.cli.remote.Distribution(dev.openshell.api.OpenShellVersion.current(), files);
    }

    private static boolean isRunnableJar(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith("openshell-gateway-")
                && n.endsWith(".jar")
                && !n.endsWith("-classes.jar")
                && !n.endsWith("-tests.jar")
                && !n.endsWith("-sources.jar");
    }

    private static Path codeSource() {
        try {
            return Path.of(GatewayJar.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of(".").toAbsolutePath();
        }
    }
}
