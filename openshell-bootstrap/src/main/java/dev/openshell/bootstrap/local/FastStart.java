package dev.openshell.bootstrap.local;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes a gateway start in seconds rather than tens of seconds. Spring Boot's nested jar is
 * unpacked once per jar build ({@code java -Djarmode=tools -jar ... extract}): its classes then load
 * through the JDK's own class loader, which can use a JDK AOT cache. The first run of an unpacked
 * jar records that cache ({@code -XX:AOTCacheOutput}, written when the run exits); later runs start
 * from it ({@code -XX:AOTCache}). Everything lives under {@code <cacheDir>/<jar size>-<jar mtime>/},
 * so a rebuilt jar starts over and an old build's files are removed.
 *
 * <p>A training run writes {@code training-<id>.aot}; the first start that finds it complete (its
 * {@code .config} companion gone) renames it to {@code gateway.aot}, so two gateways trained at
 * once never write the same file.
 */
final class FastStart {

    private FastStart() {}

    /** The JVM flags and {@code -jar ...} to run the gateway with; unpacks the jar when needed. */
    static List<String> launchArguments(LocalGatewaySpec spec, StartProgress progress) {
        if (spec.cacheDir() == null) {
            return List.of("-jar", spec.gatewayJar().toString());
        }
        Path dir = spec.cacheDir().resolve(key(spec.gatewayJar()));
        try {
            removeOtherBuilds(spec.cacheDir(), dir);
            Path app = dir.resolve("app");
            if (!Files.isDirectory(app)) {
                progress.step("unpacking the gateway for fast starts (once per build)");
                unpack(spec, dir);
            }
            Path jar = mainJar(app);
            List<String> args = new ArrayList<>();
            Path cache = dir.resolve("gateway.aot");
            adoptFinishedTraining(dir, cache);
            if (Files.isRegularFile(cache)) {
                args.add("-XX:AOTCache=" + cache);
            } else {
                args.add("-XX:AOTCacheOutput=" + dir.resolve("training-" + UUID.randomUUID() + ".aot"));
            }
            args.add("-Xlog:aot=off");
            args.add("-Xlog:cds=off");
            args.add("-jar");
            args.add(jar.toString());
            return args;
        } catch (IOException e) {
            // A cache that cannot be made costs speed, not function.
            return List.of("-jar", spec.gatewayJar().toString());
        }
    }

    private static void unpack(LocalGatewaySpec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("app.tmp-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        Process p = new ProcessBuilder(
                        spec.java().toString(),
                        "-Djarmode=tools",
                        "-jar",
                        spec.gatewayJar().toString(),
                        "extract",
                        "--destination",
                        tmp.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File("/dev/null"))
                .start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                deleteTree(tmp);
                throw new IOException("unpacking " + spec.gatewayJar() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new ApiException(Problem.of(ErrorCode.START_FAILED, "interrupted while unpacking the gateway"));
        }
        try {
            Files.move(tmp, dir.resolve("app"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteTree(tmp); // another start unpacked it meanwhile
            if (!Files.isDirectory(dir.resolve("app"))) {
                throw e;
            }
        }
    }

    private static Path mainJar(Path app) throws IOException {
        try (Stream<Path> files = Files.list(app)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no jar in " + app));
        }
    }

    private static void adoptFinishedTraining(Path dir, Path cache) throws IOException {
        if (Files.isRegularFile(cache)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("training-") && n.endsWith(".aot") && !Files.exists(Path.of(f + ".config"))) {
                    Files.move(f, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        }
    }

    private static void removeOtherBuilds(Path cacheDir, Path keep) throws IOException {
        if (!Files.isDirectory(cacheDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(cacheDir)) {
            for (Path d : dirs.toList()) {
                if (!d.equals(keep) && Files.isDirectory(d)) {
                    deleteTree(d);
                }
            }
        }
    }

    static String key(Path jar) {
        try {
            return Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
