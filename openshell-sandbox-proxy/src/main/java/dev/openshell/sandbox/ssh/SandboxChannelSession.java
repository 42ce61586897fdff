package dev.openshell.sandbox.ssh;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A session channel that remembers whether the client asked for a terminal, and turns {@code exec}
 * and {@code shell} requests into confined commands: {@link PtyCommand} after a {@code pty-req},
 * {@link PipedCommand} otherwise. Subsystems (SFTP) and agent or X11 forwarding are refused.
 */
final class SandboxChannelSession extends ChannelSession {

    private final ConfinedProcesses processes;
    private volatile boolean terminalRequested;

    SandboxChannelSession(ConfinedProcesses processes) {
        this.processes = processes;
    }

    @Override
    protected RequestHandler.Result handlePtyReqParsed(
            String term, int columns, int rows, int width, int height, Map<PtyMode, Integer> modes) throws IOException {
        terminalRequested = true;
        return super.handlePtyReqParsed(term, columns, rows, width, height, modes);
    }

    /** The command for an {@code exec} request ({@code command} non-null) or a {@code shell} request. */
    Command command(String command) {
        List<String> program = command == null ? List.of(processes.shell(), "-l") : List.of("/bin/sh", "-c", command);
        return terminalRequested ? new PtyCommand(processes, program) : new PipedCommand(processes, program);
    }

    /** Creates {@code session} channels for one sandbox. */
    record Factory(ConfinedProcesses processes) implements ChannelFactory {

        @Override
        public String getName() {
            return "session";
        }

        @Override
        public Channel createChannel(Session session) {
            return new SandboxChannelSession(processes);
        }
    }
}
