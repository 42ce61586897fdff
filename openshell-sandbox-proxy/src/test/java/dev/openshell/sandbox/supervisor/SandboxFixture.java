package dev.openshell.sandbox.supervisor;

import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.proxy.shared.HostResolver;
import dev.openshell.sandbox.spec.SandboxSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the supervisor ITs share: the capability check, options for tests, host commands. */
public final class SandboxFixture {

    /** The test upstream's address, added to {@code lo}; policies allow it with {@code allowed_ips}. */
    public static final String UPSTREAM_IP = "10.98.0.1";

    /** Where ITs keep state directories they want to inspect after the end. */
    public static final Path IT_STATE = Path.of("/run/openshell/it-supervisor");

    public static final String SYSTEM_POLICY = """
            version: 1
            filesystem_policy:
              include_workdir: true
              read_only: [/usr, /lib, /lib64, /bin, /sbin, /etc%s]
              read_write: [/tmp]
            landlock: {compatibility: best_effort}
            """;

    private SandboxFixture() {}

    /** Test options: names resolve through {@code hosts} only, fast polls, short grace. */
    public static SupervisorOptions options(Map<String, String> hosts) {
        HostResolver resolver = host -> {
            String ip = hosts.get(host);
            if (ip == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(ip));
        };
        return SupervisorOptions.defaults()
                .withHostResolver(resolver)
                .withBypassPoll(Duration.ofMillis(200))
                .withStopGrace(Duration.ofMillis(500));
    }

    /** A spec keeping its state under {@link #IT_STATE}, with a fresh private workdir. */
    public static SandboxSpec keptSpec(String policyYaml, List<String> command) {
        SandboxSpec spec = SandboxSpec.of(null, command).withPolicyYaml(policyYaml);
        return spec.withStateDir(IT_STATE.resolve(spec.id()));
    }

    public static String systemPolicy(String... extraReadOnly) {
        StringBuilder extra = new StringBuilder();
        for (String path : extraReadOnly) {
            extra.append(", ").append(path);
        }
        return SYSTEM_POLICY.formatted(extra);
    }

    /** Runs a host command, returning stdout and stderr together. */
    public static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Whether {@code pid} is gone; a zombie counts as gone (an orphan waits for the host's pid 1 to
     * reap it).
     */
    public static boolean gone(long pid) {
        try {
            String text = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /** Waits up to 3 s for {@code pid} to be {@link #gone}; fails otherwise. */
    public static void awaitGone(long pid) {
        await("pid " + pid + " gone")
                .atMost(Duration.ofSeconds(3))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> gone(pid));
    }

    public static String log(SandboxSupervisor supervisor) throws IOException {
        Path file = supervisor.stateDir().resolve(SandboxLog.FILE);
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
