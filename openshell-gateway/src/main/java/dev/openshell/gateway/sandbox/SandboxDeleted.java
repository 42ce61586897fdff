package dev.openshell.gateway.sandbox;

/** Published once a sandbox's record is gone, so the stores that keep its logs and decisions drop them. */
public record SandboxDeleted(String sandboxId, String name) {}
