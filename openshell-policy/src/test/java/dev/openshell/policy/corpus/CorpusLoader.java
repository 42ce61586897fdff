package dev.openshell.policy.corpus;

import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the fixture files under {@code src/test/resources/corpus}. Fixture keys are checked
 * strictly so that a typo in a fixture fails loudly instead of silently checking nothing.
 *
 * <p>A file holds an optional default {@code policy} (a YAML block string) or {@code
 * policy_file} (a sibling file read as raw bytes, never parsed here), optional {@code
 * request_defaults} and {@code binary_resolver}, and a list of {@code cases}. A case may
 * override the policy and expects {@code expect_errors}, {@code expect_valid}/{@code
 * expect_model}, or carries {@code request} / {@code requests} each with an {@code expect}.
 */
final class CorpusLoader {

    static final String ROOT = "corpus";

    private static final Set<String> FILE_KEYS =
            Set.of("description", "policy", "policy_file", "request_defaults", "binary_resolver", "cases");
    private static final Set<String> CASE_KEYS = Set.of(
            "name",
            "description",
            "policy",
            "policy_file",
            "binary_resolver",
            "expect_errors",
            "expect_error_count",
            "expect_valid",
            "expect_model",
            "request",
            "requests");
    private static final Set<String> REQUEST_KEYS =
            Set.of("binary", "ancestors", "host", "port", "ips", "method", "target", "expect");
    private static final Set<String> EXPECT_KEYS = Set.of(
            "verdict",
            "layer",
            "policy",
            "endpoint",
            "rule",
            "reason_contains",
            "reason_excludes",
            "inspect",
            "suggestion_contains",
            "suggestion");
    private static final Set<String> ERROR_KEYS =
            Set.of("path", "path_one_of", "line", "column", "message_contains", "message_excludes");

    private CorpusLoader() {}

    /** The corpus root directory (the test-classes copy of the resources). */
    static Path root() {
        URL url = CorpusLoader.class.getClassLoader().getResource(ROOT);
        if (url == null) {
            throw new IllegalStateException("corpus resources not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All cases of all fixture files, in file-name order. */
    static List<CorpusCase> loadAll() {
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> fixtures =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            List<CorpusCase> cases = new ArrayList<>();
            for (Path file : fixtures) {
                cases.addAll(load(root, file));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<CorpusCase> load(Path root, Path file) {
        String group = root.relativize(file).toString().replace('\\', '/').replaceFirst("\\.yaml$", "");
        try {
            return new FileReader(group, file).cases();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad fixture file " + group + ".yaml: " + e.getMessage(), e);
        }
    }

    /** Turns one fixture file into cases. */
    private static final class FileReader {
        private final String group;
        private final Path file;
        private final Map<String, Object> doc;

        FileReader(String group, Path file) {
            this.group = group;
            this.file = file;
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
                this.doc = map(loaded, "file");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            checkKeys(doc, FILE_KEYS, "file");
        }

        List<CorpusCase> cases() {
            List<CorpusCase> out = new ArrayList<>();
            Set<String> names = new java.util.HashSet<>();
            for (Object item : list(doc.get("cases"), "cases")) {
                Map<String, Object> c = map(item, "case");
                checkKeys(c, CASE_KEYS, "case " + c.get("name"));
                String name = string(c.get("name"), "name");
                if (!names.add(name)) {
                    throw new IllegalArgumentException("duplicate case name " + name);
                }
                out.addAll(expand(name, c));
            }
            return out;
        }

        private List<CorpusCase> expand(String name, Map<String, Object> c) {
            byte[] policy = policyBytes(c);
            String source = c.containsKey("policy_file") ? (String) c.get("policy_file") : group + "#" + name;
            Map<String, String> resolver = stringMap(c.getOrDefault("binary_resolver", doc.get("binary_resolver")));
            Map<String, Object> model =
                    c.containsKey("expect_model") ? map(c.get("expect_model"), "expect_model") : null;
            List<Object> requests = new ArrayList<>();
            if (c.containsKey("request")) {
                requests.add(c.get("request"));
            }
            if (c.containsKey("requests")) {
                requests.addAll(list(c.get("requests"), "requests"));
            }
            boolean rejects = c.containsKey("expect_errors") || c.containsKey("expect_error_count");
            boolean valid = Boolean.TRUE.equals(c.get("expect_valid")) || model != null;
            int kinds = (rejects ? 1 : 0) + (requests.isEmpty() ? 0 : 1);
            if (kinds == 0 && !valid) {
                throw new IllegalArgumentException("case " + name + " expects nothing");
            }
            if (kinds > 1 || (rejects && valid)) {
                throw new IllegalArgumentException("case " + name + " mixes rejection with other expectations");
            }
            if (rejects) {
                List<ExpectedError> errors = new ArrayList<>();
                for (Object e : list(c.getOrDefault("expect_errors", List.of()), "expect_errors")) {
                    errors.add(error(map(e, "expect_errors item")));
                }
                Integer count = (Integer) c.get("expect_error_count");
                return List.of(new CorpusCase(group, name, policy, source, errors, count, null, null, resolver));
            }
            if (requests.isEmpty()) {
                return List.of(new CorpusCase(group, name, policy, source, List.of(), null, model, null, resolver));
            }
            List<CorpusCase> out = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                String caseName = requests.size() == 1 ? name : name + "#" + (i + 1);
                // model checks run once, with the first request
                Map<String, Object> m = i == 0 ? model : null;
                out.add(new CorpusCase(
                        group, caseName, policy, source, List.of(), null, m, request(requests.get(i)), resolver));
            }
            return out;
        }

        private byte[] policyBytes(Map<String, Object> c) {
            Map<String, Object> owner = c.containsKey("policy") || c.containsKey("policy_file") ? c : doc;
            if (owner.containsKey("policy") && owner.containsKey("policy_file")) {
                throw new IllegalArgumentException("both policy and policy_file");
            }
            if (owner.containsKey("policy_file")) {
                Path raw = file.resolveSibling(string(owner.get("policy_file"), "policy_file"));
                try {
                    return Files.readAllBytes(raw);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Object text = owner.get("policy");
            if (text == null) {
                if (owner.containsKey("policy")) {
                    return new byte[0];
                }
                throw new IllegalArgumentException("no policy for case " + c.get("name"));
            }
            return string(text, "policy").getBytes(StandardCharsets.UTF_8);
        }

        private CorpusRequest request(Object raw) {
            Map<String, Object> r = new LinkedHashMap<>();
            if (doc.containsKey("request_defaults")) {
                r.putAll(map(doc.get("request_defaults"), "request_defaults"));
            }
            r.putAll(map(raw, "request"));
            checkKeys(r, REQUEST_KEYS, "request");
            Map<String, Object> e = map(r.get("expect"), "expect");
            checkKeys(e, EXPECT_KEYS, "expect");
            if (e.containsKey("suggestion") && e.get("suggestion") != null) {
                throw new IllegalArgumentException("`suggestion:` may only be null; use suggestion_contains");
            }
            ExpectedDecision expect = new ExpectedDecision(
                    Verdict.valueOf(string(e.get("verdict"), "verdict")),
                    e.containsKey("layer")
                            ? Layer.valueOf(string(e.get("layer"), "layer").toUpperCase(Locale.ROOT))
                            : null,
                    (String) e.get("policy"),
                    (Integer) e.get("endpoint"),
                    (String) e.get("rule"),
                    strings(e.get("reason_contains")),
                    strings(e.get("reason_excludes")),
                    (Boolean) e.get("inspect"),
                    strings(e.get("suggestion_contains")),
                    e.containsKey("suggestion"));
            Object port = r.get("port");
            if (!(port instanceof Integer)) {
                throw new IllegalArgumentException("request port must be an integer: " + port);
            }
            return new CorpusRequest(
                    string(r.get("binary"), "binary"),
                    strings(r.get("ancestors")),
                    string(r.get("host"), "host"),
                    (Integer) port,
                    strings(r.get("ips")),
                    (String) r.get("method"),
                    (String) r.get("target"),
                    expect);
        }

        private static ExpectedError error(Map<String, Object> e) {
            checkKeys(e, ERROR_KEYS, "expect_errors item");
            List<String> paths = new ArrayList<>();
            if (e.containsKey("path")) {
                paths.add(e.get("path") == null ? "" : String.valueOf(e.get("path")));
            }
            paths.addAll(strings(e.get("path_one_of")));
            return new ExpectedError(
                    paths,
                    (Integer) e.get("line"),
                    (Integer) e.get("column"),
                    strings(e.get("message_contains")),
                    strings(e.get("message_excludes")));
        }
    }

    private static void checkKeys(Map<String, Object> m, Set<String> allowed, String where) {
        for (String key : m.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown fixture key `" + key + "` in " + where);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(what + " must be a mapping, got " + o);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String what) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(what + " must be a list, got " + o);
        }
        return (List<Object>) l;
    }

    static String string(Object o, String what) {
        if (!(o instanceof String s)) {
            throw new IllegalArgumentException(what + " must be a string, got " + o);
        }
        return s;
    }

    /** A string or a list of strings (absent = empty). */
    static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(o));
    }

    private static Map<String, String> stringMap(Object o) {
        if (o == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        map(o, "binary_resolver").forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
