package dev.openshell.cli.sandbox;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.sandbox.Sandbox;
import java.io.PrintWriter;

/**
 * Connects the terminal to a sandbox's main command after {@code sandbox create -- CMD} and returns
 * the exit status to leave with. {@link LogFollowAttach} is what the REST API allows today:
 * output only, as the log ships it. An attach over the gateway's streaming exec (stdin, a TTY,
 * output as the command writes it) implements this same interface.
 */
interface SandboxAttach {

    int attach(GatewayClient gateway, Sandbox sandbox, PrintWriter out, PrintWriter err);
}
