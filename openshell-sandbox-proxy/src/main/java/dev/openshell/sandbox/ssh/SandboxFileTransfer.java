package dev.openshell.sandbox.ssh;

import dev.openshell.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.client.channel.ChannelExec;

/**
 * Upload and download as plain {@code exec} commands run by the sandbox's own tools under all its
 * restrictions: a file is streamed through {@code cat}, a directory through {@code tar} (the local
 * side uses the local {@code tar}). Bytes pass unchanged; what the sandbox user may not read or
 * write fails with the sandbox's own error message.
 */
final class SandboxFileTransfer {

    private static final int FILE = 'F';
    private static final int DIRECTORY = 'D';

    private final SandboxSshClient client;

    SandboxFileTransfer(SandboxSshClient client) {
        this.client = client;
    }

    void upload(Path local, String remote) {
        String target = "t=" + ShellWords.quote(remote) + "; if [ -d \"$t\" ]; then t=\"$t\"/"
                + ShellWords.quote(local.getFileName().toString()) + "; fi; ";
        if (Files.isDirectory(local)) {
            Process tar = startLocal(List.of("tar", "-C", local.toString(), "-cf", "-", "."));
            run(
                    target + "mkdir -p \"$t\" && exec tar -C \"$t\" -xf -",
                    tar.getInputStream(),
                    OutputStream.nullOutputStream());
            awaitLocal(tar, "tar -c " + local);
        } else {
            try (InputStream in = Files.newInputStream(local)) {
                run(target + "exec cat > \"$t\"", in, OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new SshException(
                        ErrorCode.SSH_TRANSFER_FAILED, "cannot read " + local + ": " + e.getMessage(), e);
            }
        }
    }

    void download(String remote, Path local) {
        String quoted = ShellWords.quote(remote);
        String command = "if [ -d " + quoted + " ]; then printf D; exec tar -C " + quoted
                + " -cf - .; elif [ -r " + quoted + " ]; then printf F; exec cat -- " + quoted
                + "; else echo " + ShellWords.quote(remote + ": no such readable file") + " >&2; exit 1; fi";
        Path name = Path.of(remote).getFileName();
        Path target = Files.isDirectory(local) && name != null ? local.resolve(name.toString()) : local;
        try (ChannelExec channel = client.session().createExecChannel(command)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setIn(InputStream.nullInputStream());
            channel.setErr(err);
            channel.open().verify(SandboxSshClient.TIMEOUT);
            InputStream out = channel.getInvertedOut();
            int kind = out.read();
            if (kind == DIRECTORY) {
                Files.createDirectories(target);
                Process tar = startLocal(List.of("tar", "-C", target.toString(), "-xf", "-"));
                try (OutputStream tarIn = tar.getOutputStream()) {
                    out.transferTo(tarIn);
                }
                awaitLocal(tar, "tar -x into " + target);
            } else if (kind == FILE) {
                Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".download-", ".part");
                try {
                    try (OutputStream file = Files.newOutputStream(temp)) {
                        out.transferTo(file);
                    }
                    finish(channel, remote, err);
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
                return;
            }
            finish(channel, remote, err);
        } catch (IOException e) {
            throw new SshException(
                    ErrorCode.SSH_TRANSFER_FAILED, "download of " + remote + " failed: " + e.getMessage(), e);
        }
    }

    private static void finish(ChannelExec channel, String remote, ByteArrayOutputStream err) throws IOException {
        channel.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED), 0L);
        Integer status = channel.getExitStatus();
        if (status == null || status != 0) {
            throw new SshException(
                    ErrorCode.SSH_TRANSFER_FAILED,
                    "download of " + remote + " failed (exit " + status + "): "
                            + err.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private void run(String command, InputStream in, OutputStream out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = client.execShell(command, in, out, err);
        if (status != 0) {
            throw new SshException(
                    ErrorCode.SSH_TRANSFER_FAILED,
                    "upload failed (exit " + status + "): "
                            + err.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static Process startLocal(List<String> command) {
        try {
            return new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        }
    }

    private static void awaitLocal(Process process, String what) {
        try {
            CompletableFuture<Integer> exit = process.onExit().thenApply(Process::exitValue);
            int code = exit.join();
            if (code != 0) {
                throw new SshException(ErrorCode.SSH_TRANSFER_FAILED, what + " failed with exit " + code);
            }
        } catch (java.util.concurrent.CompletionException e) {
            throw new SshException(ErrorCode.SSH_TRANSFER_FAILED, what + " failed: " + e.getCause(), e);
        }
    }
}
