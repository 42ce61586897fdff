package dev.openshell.cli.remote;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.json.ApiJson;
import dev.openshell.bootstrap.local.ReadinessProbe;
import dev.openshell.bootstrap.pki.CertificateBundle;
import dev.openshell.bootstrap.pki.PemFiles;
import dev.openshell.bootstrap.pki.PkiException;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.sandbox.ssh.ShellWords;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code openshell gateway start --remote}: over one SSH session, checks the host's prerequisites
 * (nothing is changed when one is missing), copies the {@link Distribution}, runs {@code openshell
 * gateway start} there (which makes the PKI on the host, with the host's name and address in the
 * server certificate, and starts the daemon bound to the address the SSH connection arrived on),
 * fetches the client bundle, and waits until the gateway answers from this side.
 */
public final class RemoteGatewayStart {

    /** What to start where. */
    public record Request(
            String name,
            SshTarget target,
            SshLogin login,
            Integer port,
            Duration readyTimeout,
            Distribution distribution) {}

    /** What was started, and what the CLI registers. */
    public record Outcome(
            URI endpoint,
            long pid,
            boolean alreadyRunning,
            String destination,
            String dataDir,
            RemoteLayout layout,
            String java,
            Bundle bundle,
            int filesCopied,
            Duration readyTime) {}

    /** The client bundle as fetched from the host (PEM text). */
    public record Bundle(String ca, String certificate, String key) {}

    private static final Duration REMOTE_START_SLACK = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    private RemoteGatewayStart() {}

    public static Outcome start(Request request, Consumer<String> progress) {
        progress.accept("connecting to " + request.target() + " over SSH");
        try (RemoteShell shell = SshConnector.connect(request.target(), request.login())) {
            // After the login, whose flags (--ssh-key) are checked first: a wrong flag is named
            // whether or not this checkout has built the jars to copy.
            Distribution dist = request.distribution().requireFiles();
            progress.accept(
                    "checking " + shell.destination() + " (Java " + RemoteHostFacts.JAVA_RELEASE + ", root, ip, nft)");
            RemoteHostFacts facts = RemoteHostProbe.probe(shell);
            requirePrerequisites(shell, facts);
            String java = facts.java().orElseThrow().path();
            RemoteLayout layout = new RemoteLayout(facts.home(), dist.version());

            int copied = RemoteCopy.copy(shell, dist, layout, progress);
            if (copied == 0) {
                progress.accept("the distribution is already on " + shell.destination() + ":" + layout.distDir());
            }

            RemoteShell.Result installed = shell.run(layout.installLauncher(java), Duration.ofSeconds(30));
            if (!installed.ok()) {
                throw CliErrors.of(
                        ErrorCode.REMOTE_COMMAND_FAILED,
                        "cannot write " + layout.launcher() + " on " + shell.destination() + ": "
                                + installed.lastError(),
                        "check the free space and permissions there");
            }
            JsonNode started = runRemoteStart(shell, request, facts, layout, progress);
            int port = URI.create(started.path("endpoint").asString()).getPort();
            String dataDir = started.path("data_dir").asString();
            boolean already = started.path("already_running").asBoolean(false);
            Bundle bundle = fetchBundle(shell, dataDir);

            URI endpoint = endpoint(shell.hostName(), port);
            long t0 = System.nanoTime();
            progress.accept("waiting for " + endpoint + " to answer from here");
            awaitReady(endpoint, bundle, request, progress);
            return new Outcome(
                    endpoint,
                    started.path("pid").asLong(),
                    already,
                    shell.destination(),
                    dataDir,
                    layout,
                    java,
                    bundle,
                    copied,
                    Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private static void requirePrerequisites(RemoteShell shell, RemoteHostFacts facts) {
        List<String> missing = facts.missing();
        if (missing.isEmpty()) {
            return;
        }
        List<FieldError> errors = missing.stream()
                .map(m -> new FieldError(m.substring(0, m.indexOf(':')), m.substring(m.indexOf(':') + 2)))
                .toList();
        String detail = shell.destination() + " cannot run a gateway yet (nothing was changed there): "
                + (missing.size() == 1 ? missing.getFirst() : missing.size() + " prerequisites are missing");
        throw new ApiException(Problem.of(ErrorCode.REMOTE_PREREQUISITES_MISSING, detail)
                .withErrors(missing.size() == 1 ? List.of() : errors)
                .withHint("install them on the host, then run this command again"));
    }

    private static JsonNode runRemoteStart(
            RemoteShell shell, Request request, RemoteHostFacts facts, RemoteLayout layout, Consumer<String> progress) {
        List<String> args = new ArrayList<>(List.of("gateway", "start", "--name", request.name()));
        if (request.port() != null) {
            args.addAll(List.of("--port", Integer.toString(request.port())));
        }
        args.addAll(List.of("--bind", facts.serverAddress()));
        Set<String> names = new LinkedHashSet<>(List.of(shell.hostName(), shell.connectedAddress()));
        names.forEach(n -> args.addAll(List.of("--tls-san", n)));
        args.addAll(List.of("--timeout", request.readyTimeout().toSeconds() + "s", "-o", "json"));
        RemoteShell.Result r = shell.run(
                layout.openshell(args),
                InputStream.nullInputStream(),
                line -> progress.accept("  " + SafeText.oneLine(line, 300)),
                request.readyTimeout().plus(REMOTE_START_SLACK));
        if (!r.ok()) {
            List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
            String error = lines.stream()
                    .filter(l -> l.startsWith("error: "))
                    .reduce((a, b) -> b)
                    .map(l -> l.substring("error: ".length()))
                    .orElse(r.lastError());
            int at = lines.indexOf("error: " + error);
            String hint = at >= 0 && at + 1 < lines.size() ? lines.get(at + 1) : null;
            throw CliErrors.of(
                    ErrorCode.REMOTE_COMMAND_FAILED,
                    "on " + shell.destination() + ": " + SafeText.oneLine(error, 300),
                    hint != null
                            ? "there: " + SafeText.oneLine(hint, 300)
                            : "its log: " + layout.dataDir(request.name()) + "/logs/daemon.out on the host");
        }
        try {
            JsonNode doc = ApiJson.lenient().readTree(r.stdout());
            if (!doc.path("endpoint").isString() || !doc.path("data_dir").isString()) {
                throw new IllegalArgumentException("no endpoint");
            }
            return doc;
        } catch (JacksonException | IllegalArgumentException e) {
            throw CliErrors.of(
                    ErrorCode.REMOTE_COMMAND_FAILED,
                    "openshell on " + shell.destination() + " answered something else than the gateway it started: "
                            + SafeText.oneLine(r.stdout(), 200),
                    "run it there to see: " + layout.launcher() + " gateway info " + request.name());
        }
    }

    private static Bundle fetchBundle(RemoteShell shell, String dataDir) {
        String dir = dataDir + "/tls/client/";
        String[] pem = new String[3];
        String[] files = {"ca.crt", "tls.crt", "tls.key"};
        for (int i = 0; i < files.length; i++) {
            RemoteShell.Result r = shell.run("cat " + ShellWords.quote(dir + files[i]), Duration.ofSeconds(30));
            if (!r.ok()) {
                throw CliErrors.of(
                        ErrorCode.REMOTE_COMMAND_FAILED,
                        "cannot fetch the client bundle from " + shell.destination() + ":" + dir + ": " + r.lastError(),
                        "start the gateway again: it makes the bundle anew");
            }
            pem[i] = r.stdout();
        }
        return new Bundle(pem[0], pem[1], pem[2]);
    }

    private static void awaitReady(URI endpoint, Bundle bundle, Request request, Consumer<String> progress) {
        CertificateBundle ca;
        try {
            ca = PemFiles.parse(bundle.ca(), null, "the gateway's CA");
        } catch (PkiException e) {
            throw CliErrors.of(
                    ErrorCode.REMOTE_COMMAND_FAILED,
                    "the CA certificate fetched from the host is not valid PEM: "
                            + SafeText.oneLine(e.getMessage(), 200),
                    "start the gateway again: it makes the bundle anew");
        }
        long start = System.nanoTime();
        long deadline = start + request.readyTimeout().toNanos();
        long nextReport = start + REPORT_EVERY.toNanos();
        try (ReadinessProbe probe = new ReadinessProbe(endpoint, ca)) {
            while (!probe.ready()) {
                long now = System.nanoTime();
                if (now > deadline) {
                    throw CliErrors.of(
                            ErrorCode.TIMEOUT,
                            "gateway " + request.name() + " runs on the host but " + endpoint
                                    + " does not answer from here within "
                                    + request.readyTimeout().toSeconds() + " s",
                            "check that a firewall between here and the host lets port " + endpoint.getPort()
                                    + " through");
                }
                if (now > nextReport) {
                    progress.accept("  still waiting for " + endpoint + " ("
                            + Duration.ofNanos(now - start).toSeconds() + " s)");
                    nextReport = now + REPORT_EVERY.toNanos();
                }
                Thread.sleep(POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliErrors.of(ErrorCode.TIMEOUT, "interrupted while waiting for the gateway", "run it again");
        }
    }

    static URI endpoint(String host, int port) {
        return URI.create("https://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
    }
}
