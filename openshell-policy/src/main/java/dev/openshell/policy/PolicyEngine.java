package dev.openshell.policy;

import dev.openshell.policy.engine.PolicyCompiler;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Compiles policies into immutable evaluators. */
public final class PolicyEngine {

    private PolicyEngine() {}

    public static CompiledPolicy compile(Policy policy) {
        return compile(policy, Options.DEFAULT);
    }

    public static CompiledPolicy compile(Policy policy, Options options) {
        return PolicyCompiler.compile(policy, options.binaryResolver());
    }

    /**
     * Compile options.
     *
     * @param binaryResolver maps an exact binary path named in the policy to the path it really
     *     denotes (the sandbox resolves symlinks inside its root); a binary then matches under
     *     either path. Not applied to globs.
     */
    public record Options(UnaryOperator<String> binaryResolver) {
        public static final Options DEFAULT = new Options(UnaryOperator.identity());

        /**
         * Resolves binary paths through symlinks on this machine's filesystem (the sandbox's root
         * is the host's for the local driver); a path that cannot be resolved stays as written.
         */
        public static Options resolvingHostSymlinks() {
            return new Options(Options::realPath);
        }

        private static String realPath(String binary) {
            try {
                return Path.of(binary).toRealPath().toString();
            } catch (IOException | RuntimeException e) {
                return binary;
            }
        }
    }
}
