package dev.openshell.cli.sandbox;

import dev.openshell.api.ApiException;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.files.SafeExtractor;
import dev.openshell.cli.files.TransferProgress;
import dev.openshell.cli.output.Output;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell sandbox download NAME REMOTE [LOCAL]}: a file or directory of the sandbox into a local directory. */
@Command(
        name = "download",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Copy a file or directory out of a Ready sandbox: REMOTE lands as LOCAL/<its name> (LOCAL: a"
                    + " directory, made if missing).",
            "The archive is checked as it is unpacked: an entry that would land outside LOCAL (an absolute"
                    + " name, .., a path through a symbolic link, a link that points outside) stops the download."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell sandbox download demo /sandbox/results .",
            "  openshell sandbox download demo /tmp/out.log"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:downloaded",
            "3:no such sandbox",
            "4:the sandbox is not Ready",
            "2:REMOTE cannot be read, or the archive held an entry that would land outside LOCAL"
        })
public final class SandboxDownloadCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Parameters(index = "1", paramLabel = "REMOTE", description = "The absolute path in the sandbox.")
    private String remote;

    @Parameters(
            index = "2",
            arity = "0..1",
            paramLabel = "LOCAL",
            description = "The local directory to put it in (default: the current directory).")
    private Path local = Path.of(".");

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() throws Exception {
        OpenShellCli cli = OpenShellCli.of(spec);
        Output out = new Output(spec, globals);
        TransferProgress progress = new TransferProgress(
                spec.commandLine().getErr(), cli.environment().interactive(), "downloading", -1);
        AtomicReference<RuntimeException> transferFailure = new AtomicReference<>();
        int entries;
        try (GatewayClient gw = gateway.connect(Duration.ofHours(1));
                PipedInputStream in = new PipedInputStream(256 * 1024)) {
            PipedOutputStream pipe = new PipedOutputStream(in);
            Thread reader = Thread.ofVirtual().name("download").start(() -> {
                try (pipe) {
                    gw.sandboxes().download(name, remote, pipe);
                } catch (IOException e) {
                    // the extractor stopped reading; its error is the one to report
                } catch (RuntimeException e) {
                    transferFailure.set(e);
                }
            });
            try {
                entries = new SafeExtractor(local).extract(progress.counting(in));
            } catch (IOException | ApiException e) {
                in.close(); // unblocks the download's writes, which then fail
                reader.join();
                if (transferFailure.get() != null) {
                    throw transferFailure.get();
                }
                throw e;
            }
            in.close();
            reader.join();
        }
        progress.finish();
        if (transferFailure.get() != null) {
            throw transferFailure.get();
        }
        out.note("downloaded " + name + ":" + remote + " into " + local + " (" + entries + " entries)");
        return 0;
    }
}
