package dev.openshell.sandbox.supervisor;

import dev.openshell.policy.FilesystemPolicy;
import dev.openshell.policy.LandlockPolicy;
import dev.openshell.policy.Policy;
import dev.openshell.sandbox.SandboxException;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.users.AgentIdentity;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a sandbox's policy and spec into the confined agent process: checks, workdir, launcher command. */
final class AgentLaunch {

    private static final Path TMP = Path.of("/tmp");
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private AgentLaunch() {}

    /**
     * A fresh work directory inside the state directory, owned by the agent's user and group with
     * mode 0700 (the agent's private space when the caller named none).
     */
    static Path privateWorkdir(Path stateDir, AgentIdentity identity) throws IOException {
        Path dir = stateDir.resolve(SandboxSupervisor.WORK_DIR);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(dir, "unix:uid", identity.uid());
        Files.setAttribute(dir, "unix:gid", identity.gid());
        return dir;
    }

    /**
     * With {@code hard_requirement}, a path the policy lists that will not exist in the agent's
     * view fails the start here, with the path and its section, instead of as a launcher exit
     * code. The agent's {@code /tmp} starts empty, so below it only the workdir exists.
     */
    static void checkHardRequirement(Policy policy, Path agentWorkdir, Path hostWorkdir) {
        if (policy.landlock().compatibility() != LandlockPolicy.Compatibility.HARD_REQUIREMENT) {
            return;
        }
        check(policy.filesystem().readOnly(), "filesystem_policy.read_only", agentWorkdir, hostWorkdir);
        check(policy.filesystem().readWrite(), "filesystem_policy.read_write", agentWorkdir, hostWorkdir);
    }

    private static void check(List<String> paths, String section, Path agentWorkdir, Path hostWorkdir) {
        for (String path : paths) {
            Path p = Path.of(path);
            boolean exists = p.startsWith(agentWorkdir)
                    ? Files.exists(hostWorkdir.resolve(agentWorkdir.relativize(p)))
                    : p.startsWith(TMP) ? p.equals(TMP) : Files.exists(p);
            if (!exists) {
                throw new SandboxException(
                        "landlock_path_missing",
                        "landlock compatibility is hard_requirement, but " + path + " (" + section
                                + ") does not exist; create it, remove it from the policy, or use best_effort");
            }
        }
    }

    /**
     * The launcher spec: the policy's static sections with the agent's numeric identity, the trust directory added read-only (the
     * agent must read the CA bundle whatever the policy lists), the sandbox's network namespace,
     * and a private mount namespace with the work directory bound in (through an idmapped mount
     * unless it is the sandbox's own private one) and {@code resolvConf} over
     * {@code /etc/resolv.conf} (the sandbox's DNS responder).
     */
    static LaunchSpec launchSpec(
            Policy policy,
            AgentIdentity identity,
            Path hostWorkdir,
            boolean ownWorkdir,
            Path agentWorkdir,
            Path trustDir,
            Path netns,
            Path resolvConf) {
        FilesystemPolicy fs = policy.filesystem();
        List<String> readOnly = new ArrayList<>(fs.readOnly());
        readOnly.add(trustDir.toString());
        return new LaunchSpec(
                        agentWorkdir,
                        new FilesystemPolicy(fs.includeWorkdir(), readOnly, fs.readWrite()),
                        policy.landlock(),
                        identity.numeric(),
                        null,
                        false,
                        List.of())
                .withNetns(netns)
                .withPrivateMounts(List.of(
                        // The private workdir is the agent's already; a user's is shown as the agent's.
                        new LaunchSpec.Bind(hostWorkdir, agentWorkdir, !ownWorkdir),
                        new LaunchSpec.Bind(resolvConf, RESOLV_CONF)));
    }

    /**
     * Writes {@code resolv.conf} into the state directory, world-readable, naming only {@code
     * nameserver} (the sandbox's DNS responder on the host side of its veth).
     */
    static Path resolvConf(Path stateDir, java.net.InetAddress nameserver) throws IOException {
        Path file = stateDir.resolve(SandboxSupervisor.RESOLV_CONF_FILE);
        Files.writeString(
                file,
                "# written by the OpenShell supervisor: the sandbox's DNS responder\nnameserver "
                        + nameserver.getHostAddress() + "\noptions timeout:2 attempts:2\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** The process for {@code command}: environment exactly {@code env}, streams per {@code console}. */
    static ProcessBuilder processBuilder(List<String> command, Map<String, String> env, AgentConsole console) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        switch (console) {
            case TERMINAL -> builder.inheritIO();
            case STREAMED -> builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
            case LOGGED -> builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        return builder;
    }
}
