package dev.openshell.cli.remote;

import java.nio.file.Path;

/**
 * How to log in to a remote host, besides what {@code ~/.ssh/config} says for it.
 *
 * @param home the local user's home: {@code .ssh/config}, {@code .ssh/known_hosts} and the default
 *     keys ({@code id_ed25519}, {@code id_ecdsa}, {@code id_rsa}) are read from there
 * @param key {@code --ssh-key}: the only key offered when given (no agent, no other file)
 * @param agentSocket {@code SSH_AUTH_SOCK}: the ssh-agent asked for keys when no key is given
 */
public record SshLogin(Path home, Path key, Path agentSocket) {}
