package dev.openshell.sandbox.proxy.log;

/** Receives every decision the proxy takes. Implementations must be thread-safe and never block long. */
public interface DecisionSink extends AutoCloseable {

    void accept(DecisionRecord record);

    @Override
    default void close() {}
}
