package dev.openshell.cli.sandbox;

import dev.openshell.api.ApiException;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.files.TarWriter;
import dev.openshell.cli.files.TransferProgress;
import dev.openshell.cli.files.UploadTree;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell sandbox upload NAME LOCAL [REMOTE]}: a local file or directory into the sandbox, as a tar stream. */
@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Copy a local file or directory into a Ready sandbox: LOCAL lands as REMOTE/<its name>, written as"
                    + " the sandbox's user (what the agent may not write fails).",
            "Files the .gitignore files of the directory exclude are left out (nested ones, negations,"
                    + " directory and anchored patterns, as git reads them), and so is .git; --no-git-ignore sends"
                    + " everything. A symbolic link that points outside LOCAL stops the upload."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  openshell sandbox upload demo ./project", "  openshell sandbox upload demo data.csv /tmp"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:uploaded",
            "2:LOCAL is missing, or holds a link that leaves it",
            "3:no such sandbox",
            "4:the sandbox is not Ready"
        })
public final class SandboxUploadCommand implements Callable<Integer> {

    static final String DEFAULT_REMOTE = "/sandbox";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Parameters(index = "1", paramLabel = "LOCAL", description = "The file or directory to send.")
    private Path local;

    @Parameters(
            index = "2",
            arity = "0..1",
            paramLabel = "REMOTE",
            description = "The directory in the sandbox to put it in (default: " + DEFAULT_REMOTE + ", the workspace).")
    private String remote = DEFAULT_REMOTE;

    @Option(names = "--no-git-ignore", description = "Send everything, .gitignore'd files and .git included.")
    private boolean noGitIgnore;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() throws Exception {
        OpenShellCli cli = OpenShellCli.of(spec);
        Output out = new Output(spec, globals);
        UploadTree tree = UploadTree.of(local, !noGitIgnore);
        for (Path p : tree.skipped()) {
            out.note("skipped " + p + ": not a file, directory or link");
        }
        TransferProgress progress = new TransferProgress(
                spec.commandLine().getErr(), cli.environment().interactive(), "uploading", tree.totalBytes());
        AtomicReference<Exception> writeFailure = new AtomicReference<>();
        try (GatewayClient gw = gateway.connect(Duration.ofHours(1));
                PipedInputStream in = new PipedInputStream(256 * 1024)) {
            PipedOutputStream pipe = new PipedOutputStream(in);
            Thread writer = Thread.ofVirtual().name("tar-writer").start(() -> {
                try (pipe) {
                    TarWriter.write(tree, pipe);
                } catch (IOException | RuntimeException e) {
                    writeFailure.set(e);
                }
            });
            try {
                gw.sandboxes().upload(name, remote, progress.counting(in));
            } catch (ApiException e) {
                if (writeFailure.get() == null) {
                    throw e;
                }
            } finally {
                in.close(); // a writer blocked on a full pipe fails instead of waiting forever
                writer.join();
            }
        }
        progress.finish();
        if (writeFailure.get() != null) {
            throw CliErrors.usage(
                    "cannot read " + local + ": " + writeFailure.get().getMessage(), "check the files under it");
        }
        long files = tree.entries().stream()
                .filter(e -> e.kind() == UploadTree.Kind.FILE)
                .count();
        String base = tree.entries().getFirst().name();
        out.note("uploaded " + files + (files == 1 ? " file" : " files") + " to " + name + ":"
                + (remote.endsWith("/") ? remote : remote + "/") + base);
        return 0;
    }
}
