package dev.openshell.cli.remote;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A "remote host" for tests: a real OpenSSH server ({@code /usr/sbin/sshd}) in a network namespace
 * of its own, reached from the test's namespace over a veth pair with an address of its own (so
 * "remote" is not loopback), with a host key and an authorized client key made for it, its own
 * {@code sshd_config} (no PAM, root login by key only) and a {@code HOME} under the test's
 * directory. It shares the test's mount namespace (the cgroup hierarchies under {@code /sys} are
 * what a gateway there needs). {@code env} sets variables of the SSH sessions ({@code SetEnv}); {@code hideJvms}
 * mounts an empty tmpfs over {@code /usr/lib/jvm} in the server's mount namespace, so the host has
 * no Java there. {@link #close} stops sshd, kills whatever still runs in the namespace, and removes
 * the namespace (and with it the veth pair).
 */
final class SshHost implements AutoCloseable {

    private final Path dir;
    private final String netns;
    private final String hostVeth;
    private final String address;
    private final Process sshd;

    private SshHost(Path dir, String netns, String hostVeth, String address, Process sshd) {
        this.dir = dir;
        this.netns = netns;
        this.hostVeth = hostVeth;
        this.address = address;
        this.sshd = sshd;
    }

    static SshHost start(Path dir, Map<String, String> env, boolean hideJvms) throws Exception {
        Files.createDirectories(dir.resolve("home"));
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        String netns = "osh-ssh-" + id;
        String hostVeth = "oshs" + id + "h";
        String nsVeth = "oshs" + id + "n";
        int subnet = ThreadLocalRandom.current().nextInt(1, 63) * 4;
        int third = ThreadLocalRandom.current().nextInt(0, 256);
        String hostAddress = "10.252." + third + "." + (subnet + 1);
        String address = "10.252." + third + "." + (subnet + 2);
        run("ip", "netns", "add", netns);
        try {
            run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth);
            run("ip", "link", "set", nsVeth, "netns", netns);
            run("ip", "addr", "add", hostAddress + "/30", "dev", hostVeth);
            run("ip", "link", "set", hostVeth, "up");
            run("ip", "-n", netns, "addr", "add", address + "/30", "dev", nsVeth);
            run("ip", "-n", netns, "link", "set", nsVeth, "up");
            run("ip", "-n", netns, "link", "set", "lo", "up");

            run(
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    "test-host",
                    "-f",
                    dir.resolve("host_key").toString());
            run(
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    "test-client",
                    "-f",
                    dir.resolve("client_key").toString());
            Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
            StringBuilder config = new StringBuilder();
            config.append("ListenAddress ")
                    .append(address)
                    .append('\n')
                    .append("Port 22\n")
                    .append("HostKey ")
                    .append(dir.resolve("host_key"))
                    .append('\n')
                    .append("PidFile ")
                    .append(dir.resolve("sshd.pid"))
                    .append('\n')
                    .append("AuthorizedKeysFile ")
                    .append(dir.resolve("authorized_keys"))
                    .append('\n')
                    .append("UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n")
                    .append("PasswordAuthentication no\nKbdInteractiveAuthentication no\n")
                    .append("SetEnv HOME=")
                    .append(dir.resolve("home"));
            env.forEach((k, v) -> config.append(' ').append(k).append('=').append(v));
            config.append('\n');
            Files.writeString(dir.resolve("sshd_config"), config.toString());

            // nsenter rather than ip netns exec: that one mounts a fresh /sys for the namespace, without the
            // cgroup hierarchies the local driver needs; the mount namespace stays the host's unless JVMs are hidden.
            String sshd = "exec /usr/sbin/sshd -D -e -f " + dir.resolve("sshd_config");
            List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns));
            if (hideJvms) {
                command.addAll(List.of("unshare", "--mount", "--propagation", "private"));
                command.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=1m tmpfs /usr/lib/jvm && " + sshd));
            } else {
                command.addAll(List.of("sh", "-c", sshd));
            }
            Process sshdProcess = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .redirectInput(new File("/dev/null"))
                    .start();
            SshHost host = new SshHost(dir, netns, hostVeth, address, sshdProcess);
            host.awaitListening();
            return host;
        } catch (Exception e) {
            quietly("ip", "netns", "del", netns);
            quietly("ip", "link", "del", hostVeth);
            throw e;
        }
    }

    String address() {
        return address;
    }

    String netns() {
        return netns;
    }

    String hostVeth() {
        return hostVeth;
    }

    /** The private key the server accepts for root. */
    Path clientKey() {
        return dir.resolve("client_key");
    }

    /** The remote login's home directory. */
    Path home() {
        return dir.resolve("home");
    }

    /** The known_hosts line for this host's key. */
    String knownHostsLine() throws IOException {
        String[] pub = Files.readString(dir.resolve("host_key.pub")).strip().split(" ");
        return address + " " + pub[0] + " " + pub[1] + "\n";
    }

    /** The processes that run in the host's network namespace. */
    List<Long> pids() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "pids", netns)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        List<Long> pids = new ArrayList<>();
        out.lines().filter(l -> l.matches("\\d+")).forEach(l -> pids.add(Long.parseLong(l)));
        return pids;
    }

    /**
     * The processes in the namespace besides sshd: what a test left running there. A session's own
     * sshd process may take a moment to go after its client disconnected, so this waits up to 10 s
     * for the list to empty.
     */
    List<String> leftovers() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> now = running();
        while (!now.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = running();
        }
        return now;
    }

    private List<String> running() throws Exception {
        List<String> out = new ArrayList<>();
        for (long pid : pids()) {
            String cmd =
                    ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
            if (pid != sshd.pid() && !cmd.contains("sshd -D")) {
                out.add(pid + " " + cmd);
            }
        }
        return out;
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd exited: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, 22), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("sshd does not listen on " + address + ":22: " + log());
    }

    @Override
    public void close() throws Exception {
        sshd.destroy();
        if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
            sshd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        quietly("ip", "netns", "del", netns);
        quietly("ip", "link", "del", hostVeth);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    private static void quietly(String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(new File("/dev/null"))
                    .start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
