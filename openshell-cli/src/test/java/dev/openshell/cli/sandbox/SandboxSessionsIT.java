package dev.openshell.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LocalDriverGateway;
import dev.openshell.cli.support.SharedLocalGateway;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attached commands ({@code sandbox exec}, {@code sandbox create -- CMD}) and terminals against a
 * real gateway with the local driver: real supervisors and the real streaming exec, a real
 * pseudo-terminal through {@code script(1)}.
 */
@RequiresRoot
@ExtendWith(SharedLocalGateway.class)
@RequiresTool({"ip", "nft", "ssh", "script"})
class SandboxSessionsIT {

    static LocalDriverGateway gateway;
    static CliSession cli;
    static String sandbox;

    @BeforeAll
    static void startGateway(LocalDriverGateway shared) {
        gateway = shared;
        cli = gateway.cli();
        sandbox = gateway.sandbox("sess");
    }

    @Test
    void execPassesStdinOutputApartAndTheExitStatus() {
        Result ok = cli.run("sandbox", "exec", sandbox, "--", "sh", "-c", "echo out; echo err >&2; exit 7");
        Result stdin = cli.runWithStdin("hello\nworld\n", "sandbox", "exec", "-i", sandbox, "--", "sort", "-r");
        Result noStdin = cli.runWithStdin("hello\n", "sandbox", "exec", sandbox, "--", "cat");
        Result timeout = cli.run("sandbox", "exec", sandbox, "--timeout", "1s", "--", "sleep", "30");
        Result missing = cli.run("sandbox", "exec", "sess-none", "--", "true");
        Result notFound = cli.run("sandbox", "exec", sandbox, "--", "/no/such/program");

        assertThat(ok.exitCode()).as(ok.toString()).isEqualTo(7);
        assertThat(ok.out()).isEqualTo("out\n");
        assertThat(ok.err()).isEqualTo("err\n");
        assertThat(stdin.out()).as(stdin.toString()).isEqualTo("world\nhello\n");
        assertThat(noStdin.exitCode()).isZero();
        assertThat(noStdin.out()).isEmpty();
        assertThat(timeout.exitCode()).as(timeout.toString()).isEqualTo(124);
        assertThat(timeout.err()).contains("openshell: the command ran past its timeout of 1s and was killed");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).startsWith("error: no sandbox named sess-none");
        assertThat(notFound.exitCode()).as(notFound.toString()).isIn(126, 127);
    }

    @Test
    void attachedCreateRunsTheCommandAndExitsWithItsStatus() {
        gateway.created("sess-exit3");
        Result r = cli.run(
                "sandbox", "create", "--name", "sess-exit3", "--", "sh", "-c", "echo to-out; echo to-err >&2; exit 3");
        Result get = cli.run("sandbox", "get", "sess-exit3");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("to-out\n");
        assertThat(r.err()).contains("to-err\n").startsWith("sandbox sess-exit3 is Ready; running sh -c");
        assertThat(get.out()).contains("phase:     Ready");
    }

    @Test
    void aTerminalSessionRunsThroughAPtyFollowsResizesAndRestoresTheTerminal() throws Exception {
        // script(1) gives the CLI a real pseudo-terminal; what we type goes to the remote shell.
        String cliCommand = shellLine(selfCommand("sandbox", "exec", "-it", sandbox, "--", "sh"));
        String echoOff = "stty -a | tr ';' '\\n' | grep -c -w -e '-echo'";
        String inner = "stty rows 30 cols 100; tty > " + home("tty.txt") + "; " + echoOff + " > " + home("before.txt")
                + "; " + cliCommand + "; echo \"status=$?\" > " + home("status.txt") + "; " + echoOff + " > "
                + home("after.txt") + "; exit 0";
        Process p = new ProcessBuilder("script", "-qec", inner, "/dev/null")
                .redirectErrorStream(true)
                .start();
        StringBuffer output = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = p.getInputStream().read(buffer)) >= 0) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // ended
            }
        });
        type(p, "stty size\n");
        awaitOutput(output, "30 100");
        // The window changes: the kernel sends SIGWINCH to the CLI, which passes the new size on.
        Process resize = new ProcessBuilder(
                        "stty", "-F", Files.readString(home("tty.txt")).strip(), "rows", "40", "cols", "120")
                .start();
        assertThat(resize.waitFor()).isZero();
        Thread.sleep(1000);
        type(p, "stty size; tty; echo $((6*7)); exit 4\n");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(output.toString()).isTrue();
        reader.join();

        assertThat(p.exitValue()).as(output.toString()).isZero();
        assertThat(Files.readString(home("status.txt"))).as(output.toString()).isEqualTo("status=4\n");
        assertThat(output.toString()).contains("40 120", "42").contains("/dev/pts/");
        assertThat(Files.readString(home("after.txt")))
                .as("echo is back on after the session")
                .isEqualTo(Files.readString(home("before.txt")))
                .isEqualTo("0\n");
    }

    static void type(Process p, String keys) throws IOException {
        p.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
    }

    static void awaitOutput(StringBuffer output, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!output.toString().contains(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + expected + "' in: " + output);
            }
            Thread.sleep(100);
        }
    }

    static Path home(String name) {
        return cli.home().resolve(name);
    }

    /** This CLI as a process of its own, in the test's home. */
    static List<String> selfCommand(String... args) {
        List<String> argv = new ArrayList<>(List.of(
                "env",
                "HOME=" + cli.home(),
                "XDG_CONFIG_HOME=" + cli.home().resolve("config"),
                "XDG_DATA_HOME=" + cli.home().resolve("data"),
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.openshell.cli.OpenShellCli"));
        argv.addAll(List.of(args));
        return argv;
    }

    static String shellLine(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            b.append(b.isEmpty() ? "" : " ")
                    .append("'")
                    .append(a.replace("'", "'\\''"))
                    .append("'");
        }
        return b.toString();
    }
}
