package dev.openshell.cli.apply;

import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.api.sandbox.SandboxCreateRequest;

/**
 * One step of an apply plan: what is done to one provider or sandbox to make it match the file.
 * Steps that need no write ({@link Unchanged}, {@link Drifted}, {@link Kept}) are in the plan too,
 * so the report names every object the file or its set touches.
 */
sealed interface Change {

    /** {@code provider} or {@code sandbox}. */
    String kind();

    String name();

    /** Whether carrying it out writes to the gateway. */
    default boolean writes() {
        return false;
    }

    record CreateProvider(ProviderRequest request) implements Change {
        public String kind() {
            return "provider";
        }

        public String name() {
            return request.name();
        }

        public boolean writes() {
            return true;
        }
    }

    /** A provider whose type, base URL or protocol differ: replaced with this shell's credentials. */
    record ReplaceProvider(ProviderRequest request, String differences) implements Change {
        public String kind() {
            return "provider";
        }

        public String name() {
            return request.name();
        }

        public boolean writes() {
            return true;
        }
    }

    record CreateSandbox(SandboxCreateRequest request) implements Change {
        public String kind() {
            return "sandbox";
        }

        public String name() {
            return request.name();
        }

        public boolean writes() {
            return true;
        }
    }

    /** A running sandbox whose network policy differs: a new revision, loaded in place. */
    record SetPolicy(String name, String policyYaml, int changes) implements Change {
        public String kind() {
            return "sandbox";
        }

        public boolean writes() {
            return true;
        }
    }

    /** A sandbox of this file's set that the file no longer lists ({@code --prune}). */
    record DeleteSandbox(String name) implements Change {
        public String kind() {
            return "sandbox";
        }

        public boolean writes() {
            return true;
        }
    }

    record Unchanged(String kind, String name) implements Change {}

    /** It differs in what cannot change in place (the command, labels, a static policy section...). */
    record Drifted(String kind, String name, String differences) implements Change {}

    /** A sandbox of this file's set that the file no longer lists, kept without {@code --prune}. */
    record Kept(String name) implements Change {
        public String kind() {
            return "sandbox";
        }
    }
}
