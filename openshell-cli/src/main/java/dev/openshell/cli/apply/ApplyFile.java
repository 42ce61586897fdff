package dev.openshell.cli.apply;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.provider.ProviderProtocol;
import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.validation.ResourceNames;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyValidationException;
import dev.openshell.sandbox.cgroup.ByteSize;
import dev.openshell.sandbox.error.SandboxException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * An {@code openshell apply} file: the providers and sandboxes that should exist, read whole and
 * validated before anything is sent. Policies may be inline ({@code policy:} as a mapping or a
 * block of YAML) or a file ({@code policy_file:}, relative to the apply file).
 *
 * @param set the name the sandboxes of this file are labelled with ({@code openshell.dev/apply}),
 *     so {@code --prune} only ever removes sandboxes this file made: the file's {@code name}, else
 *     its file name without extension
 */
public record ApplyFile(String set, List<ProviderSpec> providers, List<SandboxSpec> sandboxes) {

    /** The label that marks a sandbox made by {@code apply}, with the set's name as value. */
    public static final String SET_LABEL = "openshell.dev/apply";

    /** A provider that should exist; credentials come from this shell, never from the file. */
    public record ProviderSpec(
            String name,
            String type,
            String baseUrl,
            ProviderProtocol protocol,
            boolean fromExisting,
            List<String> credentials) {}

    /**
     * A sandbox that should exist.
     *
     * @param labels the file's labels and {@link #SET_LABEL}
     * @param policyYaml the policy text to send; null for the gateway's default (no network)
     * @param policy the parsed policy, null when {@code policyYaml} is
     * @param resources the limits given, null when none is
     */
    public record SandboxSpec(
            String name,
            List<String> command,
            Map<String, String> env,
            Map<String, String> labels,
            List<String> providers,
            String image,
            String policyYaml,
            Policy policy,
            ResourceLimits resources) {

        /** What {@code POST /api/v1/sandboxes} is sent to make it, waiting until it is Ready. */
        public SandboxCreateRequest createRequest() {
            return new SandboxCreateRequest(name, command, env, labels, policyYaml, providers, image, resources, true);
        }

        /** Values of {@code env} are left out: they may be secrets. */
        @Override
        public String toString() {
            return "SandboxSpec[name=" + name + ", env=" + env.keySet() + "]";
        }
    }

    private static final Set<String> TOP = Set.of("name", "providers", "sandboxes");
    private static final Set<String> PROVIDER =
            Set.of("name", "type", "base_url", "protocol", "from_existing", "credentials");
    private static final Set<String> SANDBOX =
            Set.of("name", "command", "env", "labels", "providers", "image", "policy", "policy_file", "resources");
    private static final Set<String> RESOURCES = Set.of("memory", "cpus", "pids");

    /** Reads {@code file}; every problem in it is one {@code validation_failed} error listing them all. */
    public static ApplyFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw invalid(List.of(file + ": no such file"));
        } catch (IOException e) {
            throw invalid(List.of(file + ": cannot read: " + e.getMessage()));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowDuplicateKeys(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw invalid(List.of(file + ": not valid YAML: " + SafeText.oneLine(e.getMessage(), 300)));
        }
        YamlNodes y = new YamlNodes(file.toString());
        if (root == null) {
            throw invalid(List.of(file + ": the file is empty"));
        }
        Map<String, Node> top = y.mapping(root, "", TOP);
        String set = y.string(top.get("name"), "name");
        if (set == null) {
            String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            set = stem.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        }
        ResourceNames.violation(set).ifPresent(why -> y.error(top.get("name"), "name", why));

        List<ProviderSpec> providers = new ArrayList<>();
        List<Node> providerNodes = y.sequence(top.get("providers"), "providers");
        for (int i = 0; i < providerNodes.size(); i++) {
            providers.add(provider(y, providerNodes.get(i), "providers[" + i + "]"));
        }
        List<SandboxSpec> sandboxes = new ArrayList<>();
        List<Node> sandboxNodes = y.sequence(top.get("sandboxes"), "sandboxes");
        for (int i = 0; i < sandboxNodes.size(); i++) {
            sandboxes.add(sandbox(y, sandboxNodes.get(i), "sandboxes[" + i + "]", file, set));
        }
        unique(y, providers.stream().map(ProviderSpec::name).toList(), "providers", providerNodes);
        unique(y, sandboxes.stream().map(SandboxSpec::name).toList(), "sandboxes", sandboxNodes);
        if (!y.errors().isEmpty()) {
            throw invalid(y.errors());
        }
        return new ApplyFile(set, List.copyOf(providers), List.copyOf(sandboxes));
    }

    private static ProviderSpec provider(YamlNodes y, Node node, String path) {
        Map<String, Node> m = y.mapping(node, path, PROVIDER);
        String name = required(y, node, m, "name", path);
        String type = required(y, node, m, "type", path);
        if (name != null) {
            ResourceNames.violation(name).ifPresent(why -> y.error(m.get("name"), path + ".name", why));
        }
        Boolean fromExisting = y.bool(m.get("from_existing"), path + ".from_existing");
        List<String> credentials = y.strings(m.get("credentials"), path + ".credentials");
        for (int i = 0; i < credentials.size(); i++) {
            if (credentials.get(i).contains("=")) {
                y.error(
                        m.get("credentials"),
                        path + ".credentials[" + i + "]",
                        "name the variable only: its value is read from this shell, never from the file");
            }
        }
        if (!Boolean.TRUE.equals(fromExisting) && credentials.isEmpty()) {
            y.error(node, path, "give from_existing: true or credentials: [VARIABLE, ...]");
        }
        return new ProviderSpec(
                name,
                type,
                y.string(m.get("base_url"), path + ".base_url"),
                protocol(y, m.get("protocol"), path + ".protocol"),
                Boolean.TRUE.equals(fromExisting),
                credentials);
    }

    private static ProviderProtocol protocol(YamlNodes y, Node node, String path) {
        String text = y.string(node, path);
        if (text == null) {
            return null;
        }
        for (ProviderProtocol p : ProviderProtocol.values()) {
            if (p.wire().equals(text)) {
                return p;
            }
        }
        y.error(node, path, "must be openai or anthropic");
        return null;
    }

    private static SandboxSpec sandbox(YamlNodes y, Node node, String path, Path file, String set) {
        Map<String, Node> m = y.mapping(node, path, SANDBOX);
        String name = required(y, node, m, "name", path);
        if (name != null) {
            ResourceNames.violation(name).ifPresent(why -> y.error(m.get("name"), path + ".name", why));
        }
        String policyYaml = null;
        if (m.containsKey("policy") && m.containsKey("policy_file")) {
            y.error(m.get("policy_file"), path, "give policy or policy_file, not both");
        } else if (m.containsKey("policy")) {
            Node p = m.get("policy");
            policyYaml = p instanceof ScalarNode s ? s.getValue() : serialize(p);
        } else if (m.containsKey("policy_file")) {
            String ref = y.string(m.get("policy_file"), path + ".policy_file");
            if (ref != null) {
                Path policyPath = file.toAbsolutePath().getParent().resolve(ref).normalize();
                try {
                    policyYaml = Files.readString(policyPath, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    y.error(
                            m.get("policy_file"),
                            path + ".policy_file",
                            "cannot read " + policyPath + ": " + e.getMessage());
                }
            }
        }
        Policy policy = null;
        if (policyYaml != null) {
            try {
                policy = PolicyParser.parse(policyYaml.getBytes(StandardCharsets.UTF_8), path + ".policy");
            } catch (PolicyValidationException e) {
                e.errors()
                        .forEach(err -> y.error(
                                m.getOrDefault("policy", m.get("policy_file")),
                                path + ".policy" + (err.path().isEmpty() ? "" : "." + err.path()),
                                (err.line() > 0 ? "(line " + err.line() + " of the policy) " : "") + err.message()));
            } catch (PolicyException e) {
                y.error(m.getOrDefault("policy", m.get("policy_file")), path + ".policy", e.getMessage());
            }
        }
        Map<String, String> labels = y.stringMap(m.get("labels"), path + ".labels");
        if (labels.containsKey(SET_LABEL)) {
            y.error(m.get("labels"), path + ".labels." + SET_LABEL, "is set by apply itself (to the file's name)");
        }
        labels.put(SET_LABEL, set);
        SandboxSpec spec = new SandboxSpec(
                name,
                y.strings(m.get("command"), path + ".command"),
                y.stringMap(m.get("env"), path + ".env"),
                labels,
                y.strings(m.get("providers"), path + ".providers"),
                y.string(m.get("image"), path + ".image"),
                policyYaml,
                policy,
                resources(y, m.get("resources"), path + ".resources"));
        try {
            // The gateway's own rules (names, labels, env, sizes), so a bad entry stops the apply before anything is
            // sent.
            spec.createRequest().validate();
        } catch (ApiException e) {
            for (FieldError err : e.problem().errors()) {
                y.error(node, path + "." + err.field(), err.message());
            }
        }
        return spec;
    }

    private static ResourceLimits resources(YamlNodes y, Node node, String path) {
        if (node == null) {
            return null;
        }
        Map<String, Node> m = y.mapping(node, path, RESOURCES);
        Long memory = null;
        String size = y.string(m.get("memory"), path + ".memory");
        if (size != null) {
            try {
                memory = ByteSize.parse(size, "memory");
            } catch (SandboxException e) {
                y.error(m.get("memory"), path + ".memory", "not a size like 512m, 2g or a number of bytes");
            }
        }
        Number cpus = y.number(m.get("cpus"), path + ".cpus");
        Number pids = y.number(m.get("pids"), path + ".pids");
        if (memory == null && cpus == null && pids == null) {
            return null;
        }
        return new ResourceLimits(
                memory,
                cpus == null ? null : cpus.doubleValue(),
                pids == null ? null : Math.toIntExact(pids.longValue()));
    }

    private static String required(YamlNodes y, Node node, Map<String, Node> m, String key, String path) {
        String v = y.string(m.get(key), path + "." + key);
        if (v == null && !m.containsKey(key)) {
            y.error(node, path, key + " is required");
        }
        return v;
    }

    private static void unique(YamlNodes y, List<String> names, String path, List<Node> nodes) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) != null && !seen.add(names.get(i))) {
                y.error(nodes.get(i), path + "[" + i + "].name", "'" + names.get(i) + "' is listed twice");
            }
        }
    }

    private static String serialize(Node node) {
        StringWriter out = new StringWriter();
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        new Yaml(options).serialize(node, out);
        return out.toString();
    }

    private static ApiException invalid(List<String> errors) {
        List<FieldError> fields =
                errors.stream().map(e -> new FieldError("", e)).toList();
        String detail = errors.getFirst() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        return new ApiException(Problem.of(ErrorCode.VALIDATION_FAILED, detail)
                .withErrors(fields)
                .withHint("fix the apply file; openshell apply --help shows its keys"));
    }
}
