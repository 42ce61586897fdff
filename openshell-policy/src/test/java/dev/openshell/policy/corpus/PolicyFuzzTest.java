package dev.openshell.policy.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.PolicyYaml;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.PolicyValidationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Feeds thousands of random and mutated YAML documents to {@link PolicyParser#parse(byte[],
 * String)}. The only acceptable outcomes are a {@link Policy} (which must survive {@link
 * PolicyYaml#write} and re-parse unchanged, and compile) or a {@link PolicyValidationException}
 * whose errors all carry a message. Any other exception, or one document taking longer than two
 * seconds, fails with the seed and the offending document.
 *
 * <p>Reproduce a run with {@code -Dpolicy.fuzz.seed=N}; change its size with {@code
 * -Dpolicy.fuzz.iterations=N}.
 */
class PolicyFuzzTest {

    private static final long SEED = Long.getLong("policy.fuzz.seed", 20_261_127L);
    private static final int ITERATIONS = Integer.getInteger("policy.fuzz.iterations", 5_000);
    private static final long PER_DOCUMENT_MS = 2_000;

    @Test
    void randomAndMutatedDocumentsOnlyParseOrFailValidation() throws Exception {
        List<byte[]> seeds = seeds();
        SplittableRandom random = new SplittableRandom(SEED);
        RandomPolicyText generator = new RandomPolicyText(random);
        YamlMutator mutator = new YamlMutator(random);
        Outcomes outcomes = new Outcomes();
        System.out.println("policy fuzz: seed " + SEED + ", " + ITERATIONS + " documents, " + seeds.size() + " seeds");

        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "policy-fuzz");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        try {
            for (int i = 0; i < seeds.size(); i++) {
                check(worker, seeds.get(i), "corpus seed #" + i + " unchanged", -1, outcomes);
            }
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] doc;
                String how;
                if (random.nextInt(4) == 0) {
                    String generated = generator.next();
                    if (random.nextBoolean()) {
                        doc = generated.getBytes(StandardCharsets.UTF_8);
                        how = "generated";
                    } else {
                        doc = mutator.mutate(generated.getBytes(StandardCharsets.UTF_8), pick(random, seeds));
                        how = "generated then " + mutator.log();
                    }
                } else {
                    doc = mutator.mutate(pick(random, seeds), pick(random, seeds));
                    how = "corpus seed mutated by " + mutator.log();
                }
                check(worker, doc, how, i, outcomes);
            }
        } finally {
            worker.shutdownNow();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println(
                "policy fuzz: " + outcomes.valid + " valid, " + outcomes.rejected + " rejected in " + ms + " ms");
        // the generator aims for mostly plausible policies: round trip must really have been exercised
        assertThat(outcomes.valid).as("documents that parsed (round-tripped)").isGreaterThan(ITERATIONS / 25);
        assertThat(outcomes.rejected).as("documents rejected").isGreaterThan(ITERATIONS / 2);
    }

    private void check(ExecutorService worker, byte[] doc, String how, int iteration, Outcomes outcomes)
            throws InterruptedException {
        Future<Boolean> result = worker.submit(() -> accepts(doc));
        try {
            if (result.get(PER_DOCUMENT_MS, TimeUnit.MILLISECONDS)) {
                outcomes.valid++;
            } else {
                outcomes.rejected++;
            }
        } catch (TimeoutException e) {
            result.cancel(true);
            throw failure("took longer than " + PER_DOCUMENT_MS + " ms", how, iteration, doc, null);
        } catch (ExecutionException e) {
            throw failure("threw " + e.getCause(), how, iteration, doc, e.getCause());
        }
    }

    /** True when the document parsed; throws for any outcome that is not allowed. */
    private static boolean accepts(byte[] doc) {
        Policy policy;
        try {
            policy = PolicyParser.parse(doc, "fuzz");
        } catch (PolicyValidationException e) {
            if (e.errors().isEmpty()) {
                throw new AssertionError("PolicyValidationException without errors");
            }
            for (PolicyError error : e.errors()) {
                if (error.message() == null
                        || error.message().isBlank()
                        || error.path() == null
                        || error.line() < 0
                        || error.column() < 0) {
                    throw new AssertionError("malformed error " + error);
                }
            }
            return false;
        }
        String canonical = PolicyYaml.write(policy);
        Policy again;
        try {
            again = PolicyParser.parse(canonical);
        } catch (PolicyValidationException e) {
            throw new AssertionError(
                    "canonical form of a valid policy is rejected: " + e.getMessage() + "\ncanonical:\n" + canonical,
                    e);
        }
        if (!policy.equals(again)) {
            throw new AssertionError("round trip changed the policy\nbefore: " + policy + "\nafter:  " + again
                    + "\ncanonical:\n" + canonical);
        }
        String twice = PolicyYaml.write(again);
        if (!canonical.equals(twice)) {
            throw new AssertionError("canonical form is not stable:\n" + canonical + "\n---\n" + twice);
        }
        CompiledPolicy compiled = PolicyEngine.compile(policy);
        L4Request l4 = new L4Request(
                "/usr/bin/curl",
                List.of("/usr/bin/bash"),
                "api.github.com",
                443,
                List.of(InetAddress.ofLiteral("140.82.112.6")));
        compiled.evaluate(l4);
        compiled.evaluate(new L7Request(l4, "GET", "/repos/a/b?q=1"));
        return true;
    }

    private static AssertionError failure(String what, String how, int iteration, byte[] doc, Throwable cause) {
        StringBuilder sb = new StringBuilder("policy fuzz failure: ")
                .append(what)
                .append("\n  seed: ")
                .append(SEED)
                .append(" (rerun with -Dpolicy.fuzz.seed=")
                .append(SEED)
                .append(")\n  iteration: ")
                .append(iteration)
                .append("\n  document made from: ")
                .append(how)
                .append("\n  document (")
                .append(doc.length)
                .append(" bytes, escaped):\n")
                .append(escape(doc));
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            sb.append("\n  stack trace:\n").append(trace);
        }
        return new AssertionError(sb.toString(), cause);
    }

    /** The document as readable text: printable ASCII and newlines as-is, everything else escaped. */
    static String escape(byte[] doc) {
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(doc.length, 8_000);
        for (int i = 0; i < limit; i++) {
            int b = doc[i] & 0xff;
            if (b == '\n' || (b >= 0x20 && b < 0x7f && b != '\\')) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (limit < doc.length) {
            sb.append("\n... (").append(doc.length - limit).append(" more bytes)");
        }
        return sb.toString();
    }

    /** Every distinct policy of the corpus fixtures, plus a few hand-written valid documents. */
    private static List<byte[]> seeds() {
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> out = new ArrayList<>();
        for (CorpusCase c : CorpusLoader.loadAll()) {
            if (seen.add(new String(c.policy(), StandardCharsets.ISO_8859_1))) {
                out.add(c.policy());
            }
        }
        out.add("version: 1\n".getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static byte[] pick(SplittableRandom random, List<byte[]> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static final class Outcomes {
        int valid;
        int rejected;
    }
}
