package dev.openshell.cli.sandbox;

import dev.openshell.api.client.GatewayClient;
import java.io.PrintWriter;

/**
 * Connects the caller to a command in a sandbox and returns the exit status to leave with ({@code
 * sandbox create -- CMD}, {@code sandbox exec}). {@link ExecAttach} runs it over the gateway's
 * streaming exec.
 */
interface SandboxAttach {

    int attach(GatewayClient gateway, String sandbox, PrintWriter out, PrintWriter err);
}
