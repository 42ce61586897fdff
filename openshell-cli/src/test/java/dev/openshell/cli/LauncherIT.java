package dev.openshell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code bin/openshell} launcher against the shaded jar, as a user would. */
class LauncherIT {

    private static Path repo;

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findCheckout() {
        Path module =
                Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        repo = module.getParent();
        assertThat(repo.resolve("bin/openshell")).isExecutable();
        assertThat(repo.resolve("openshell-cli/target/openshell.jar"))
                .as("the shaded jar is built in the package phase, before integration tests")
                .isRegularFile();
    }

    record Run(int exitCode, String out, String err) {}

    private Run run(Path launcher, String stdin, String... args) throws IOException, InterruptedException {
        return run(cache, launcher, stdin, args);
    }

    private Run run(Path cacheHome, Path launcher, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
        pb.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/openshell " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run openshell(String... args) throws IOException, InterruptedException {
        return run(repo.resolve("bin/openshell"), "", args);
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        Run r = openshell("--version");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).matches("(?s)openshell \\d+\\.\\d+\\.\\d+\\S*\nJava 2[5-9].*");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void readmeCommandShowsARealAllowAndARealDeny() throws Exception {
        String example = "examples/policies/github-readonly.yaml";
        Run allow = openshell(
                "policy",
                "check",
                example,
                "--binary",
                "/usr/bin/curl",
                "--host",
                "api.github.com",
                "--port",
                "443",
                "--method",
                "GET",
                "--path",
                "/repos/acme/widgets");
        Run deny = openshell(
                "policy",
                "check",
                example,
                "--binary",
                "/usr/bin/python3",
                "--host",
                "api.github.com",
                "--port",
                "443");

        assertThat(allow.exitCode()).as(allow.toString()).isZero();
        assertThat(allow.out()).startsWith("ALLOW (l7) policy github_readonly endpoints[0]");
        assertThat(deny.exitCode()).as(deny.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(deny.out()).startsWith("DENY (l4)").contains("/usr/bin/python3", "to allow: add an endpoint");
    }

    @Test
    void examplePoliciesAreValid() throws Exception {
        for (String example : List.of("examples/policies/github-readonly.yaml", "examples/policies/default.yaml")) {
            Run r = openshell("policy", "validate", example);
            assertThat(r.exitCode()).as(example + " " + r).isZero();
            assertThat(r.out()).as(example).startsWith("valid\n");
        }
    }

    @Test
    void defaultPolicyDeniesEverything() throws Exception {
        String policy = Files.readString(repo.resolve("examples/policies/default.yaml"));

        Run r = run(
                repo.resolve("bin/openshell"),
                policy,
                "policy",
                "check",
                "-",
                "--binary",
                "/usr/bin/curl",
                "--host",
                "example.com",
                "--port",
                "443");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).startsWith("DENY (l4): no policy allows connections to example.com:443");
    }

    @Test
    void usageErrorIsOneLineAndAHint() throws Exception {
        Run r = openshell("policy", "validate", "--nope");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("error: Unknown option: '--nope'\nSee 'openshell policy validate --help'.\n");
    }

    @Test
    void aLockLeftByAKilledAssemblyDoesNotKeepTheCacheAwayForever() throws Exception {
        Path cacheHome = tmp.resolve("stale");
        Path dir = Files.createDirectories(cacheHome.resolve("openshell"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        // The name the launcher gives this build's cache for --version (kind cli), locked since long ago.
        Path jar = repo.resolve("openshell-cli/target/openshell.jar");
        String key = new String(
                        new ProcessBuilder(
                                        "sh",
                                        "-c",
                                        "printf '%s\\n%s\\n' \"$0\" \"$1\" | cksum | cut -d' ' -f1",
                                        jar.toString(),
                                        System.getProperty("java.home"))
                                .start()
                                .getInputStream()
                                .readAllBytes(),
                        StandardCharsets.UTF_8)
                .strip();
        long mtime = Files.getLastModifiedTime(jar).toMillis() / 1000;
        Path lock = Files.createDirectory(
                dir.resolve("openshell-" + key + "-cli-" + Files.size(jar) + "-" + mtime + ".aot.lock"));
        Files.setLastModifiedTime(
                lock, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

        Run r = run(cacheHome, repo.resolve("bin/openshell"), "", "--version");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        await("the launch cache in " + dir)
                .atMost(java.time.Duration.ofSeconds(90))
                .until(() -> cacheReady(dir));
    }

    @Test
    void firstRunTrainsTheAotCacheAndKeepsTheExitCode() throws Exception {
        Path cacheHome = tmp.resolve("cache");
        String[] deny = {
            "policy",
            "check",
            "examples/policies/default.yaml",
            "--binary",
            "/usr/bin/curl",
            "--host",
            "example.com",
            "--port",
            "443"
        };

        Run first = run(cacheHome, repo.resolve("bin/openshell"), "", deny);
        // A detached JVM assembles the cache from what the first run recorded.
        Path dir = cacheHome.resolve("openshell");
        await("the launch cache in " + dir)
                .atMost(java.time.Duration.ofSeconds(90))
                .until(() -> cacheReady(dir));
        Run second = run(cacheHome, repo.resolve("bin/openshell"), "", deny);

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(first.err()).isEmpty();
        assertThat(second).isEqualTo(first);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .singleElement()
                    .asString()
                    .matches("openshell-\\d+-policy-\\d+-\\d+\\.aot");
        }
    }

    private static boolean cacheReady(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.endsWith(".aot"))
                    && names.stream().noneMatch(n -> n.endsWith(".lock"));
        }
    }

    @Test
    void everyTopLevelCommandHasACacheOfItsOwn() throws Exception {
        // bin/openshell picks the AOT cache by the top-level command; its list must be the CLI's.
        String launcher = Files.readString(repo.resolve("bin/openshell"));
        var line = java.util.regex.Pattern.compile("^\\s*(gateway \\|[^)]*)\\)\\s*$", java.util.regex.Pattern.MULTILINE)
                .matcher(launcher);
        assertThat(line.find())
                .as("the case of top-level commands in bin/openshell")
                .isTrue();
        List<String> cached = java.util.Arrays.stream(line.group(1).split("\\|"))
                .map(String::strip)
                .toList();
        List<String> commands = OpenShellCli.COMMANDS.stream()
                .map(type ->
                        type.getAnnotation(picocli.CommandLine.Command.class).name())
                .toList();

        assertThat(cached).containsExactlyInAnyOrderElementsOf(commands);
    }

    @Test
    void everyClassOfTheJarCanGoInTheAotCache() throws Exception {
        // The AOT cache holds no class file older than Java 6 (50); the build upgrades picocli's.
        List<String> tooOld = new ArrayList<>();
        try (var jar = new java.util.zip.ZipFile(
                repo.resolve("openshell-cli/target/openshell.jar").toFile())) {
            for (var entry : java.util.Collections.list(jar.entries())) {
                if (!entry.getName().endsWith(".class") || entry.getName().startsWith("META-INF/")) {
                    continue;
                }
                byte[] head;
                try (var in = jar.getInputStream(entry)) {
                    head = in.readNBytes(8);
                }
                int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                if (major < 50) {
                    tooOld.add(entry.getName() + " (" + major + ")");
                }
            }
        }
        assertThat(tooOld).isEmpty();
    }

    @Test
    void worksThroughASymlink() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("openshell"), repo.resolve("bin/openshell"));

        Run r = run(link, "", "--version");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("openshell ");
    }

    @Test
    void missingJarTellsHowToBuildIt() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("checkout/bin"));
        Path launcher = Files.copy(repo.resolve("bin/openshell"), bin.resolve("openshell"));

        Run r = run(launcher, "", "--version");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString().contains("missing", "./mvnw -B -q -DskipTests package");
    }

    @Test
    void bashCompletionCompletesCommandsFilesAndOutputFormats() throws Exception {
        Path bash = Path.of("/bin/bash");
        assertThat(bash).isExecutable();
        // Calls the completion function the way bash would on TAB (compopt complains outside
        // real completion, hence 2>/dev/null).
        String script = "source <(" + repo.resolve("bin/openshell") + " completion bash)\n"
                + "complete -p openshell\n"
                + "COMP_WORDS=(openshell pol); COMP_CWORD=1; _complete_openshell 2>/dev/null; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(openshell policy check exam); COMP_CWORD=3; _complete_openshell 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(openshell -o ''); COMP_CWORD=2; _complete_openshell 2>/dev/null; echo \"${COMPREPLY[*]}\"\n";

        Run r = run(bash, "", "-c", script);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines())
                .containsExactly(
                        "complete -o default -F _complete_openshell openshell",
                        "policy",
                        "examples",
                        "table json yaml");
    }
}
