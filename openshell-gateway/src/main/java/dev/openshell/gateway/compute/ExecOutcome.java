package dev.openshell.gateway.compute;

/** What a non-streaming exec produced. Output beyond the driver's cap is cut off ({@code truncated}). */
public record ExecOutcome(byte[] stdout, byte[] stderr, int exitCode, boolean timedOut, boolean truncated) {

    public ExecOutcome {
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }
}
