package dev.openshell.bootstrap.local;

import java.time.Duration;

/** What {@link LocalGateways#start} reports while it works, for a CLI to show. */
public interface StartProgress {

    /** A step begins ({@code "making the gateway's certificates"}). */
    void step(String what);

    /** Still waiting for the gateway to answer, {@code elapsed} since it was launched. */
    default void waiting(Duration elapsed) {}

    StartProgress SILENT = what -> {};
}
