package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.launch.AgentView;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.proxy.tls.TrustBundle;
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

    /** Where the agent finds the trust bundle: the sandbox's own {@code /run}, read-only. */
    static final Path TRUST_DIR = Path.of("/run/openshell/tls");

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
     * code. The view holds only what the policy lists, the work directory and the sandbox's own
     * places ({@code /tmp}, {@code /run}, {@code /dev}, ... start empty or nearly so).
     */
    static void checkHardRequirement(LaunchSpec launch) {
        if (launch.landlock().compatibility() != LandlockPolicy.Compatibility.HARD_REQUIREMENT) {
            return;
        }
        AgentView view = launch.view();
        check(launch.filesystem().readOnly(), "filesystem_policy.read_only", view);
        check(launch.filesystem().readWrite(), "filesystem_policy.read_write", view);
    }

    private static void check(List<String> paths, String section, AgentView view) {
        for (String path : paths) {
            if (!view.shows(Path.of(path))) {
                throw new SandboxException(
                        ErrorCode.LANDLOCK_PATH_MISSING,
                        "landlock compatibility is hard_requirement, but " + path + " (" + section
                                + ") does not exist in the sandbox; create it, remove it from the policy, or use"
                                + " best_effort");
            }
        }
    }

    /**
     * The launcher spec: the policy's static sections with the agent's numeric identity, the
     * trust directory shown read-only at {@link #TRUST_DIR} and {@code resolv.conf} (both readable
     * whatever the policy lists), the sandbox's network namespace, and the agent's own mount and
     * PID namespaces with the work directory bound in (through an idmapped mount unless it is the
     * sandbox's own private one) and {@code resolvConf} over {@code /etc/resolv.conf} (the
     * sandbox's DNS responder).
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
        readOnly.add(TRUST_DIR.toString());
        // Readable whatever the policy lists, and wherever a host symlink at that path leads.
        readOnly.add(RESOLV_CONF.toString());
        return new LaunchSpec(
                        agentWorkdir,
                        new FilesystemPolicy(fs.includeWorkdir(), readOnly, fs.readWrite(), fs.execFromWritable()),
                        policy.landlock(),
                        identity.numeric(),
                        null,
                        false,
                        List.of())
                .withNetns(netns)
                .withPrivateMounts(List.of(
                        // The private workdir is the agent's already; a user's is shown as the agent's.
                        ownWorkdir
                                ? new LaunchSpec.Bind(hostWorkdir, agentWorkdir)
                                : LaunchSpec.Bind.idmapped(hostWorkdir, agentWorkdir),
                        LaunchSpec.Bind.readOnly(trustDir, TRUST_DIR),
                        LaunchSpec.Bind.readOnly(resolvConf, RESOLV_CONF)));
    }

    /** The trust bundle as the agent sees it, under {@link #TRUST_DIR}. */
    static TrustBundle agentTrustBundle(TrustBundle written) {
        return new TrustBundle(
                TRUST_DIR.resolve(written.caPem().getFileName()),
                TRUST_DIR.resolve(written.bundlePem().getFileName()),
                written.systemCertificates());
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
