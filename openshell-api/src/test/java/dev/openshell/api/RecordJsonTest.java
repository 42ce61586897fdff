package dev.openshell.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.json.ApiJson;
import dev.openshell.api.json.JsonProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every record of the API: serialised, parsed back (strictly and leniently) and equal; its JSON equal
 * to a golden sample in {@code src/test/resources/golden/} (so the snake_case names on the wire are
 * pinned, and a rename shows up as a diff). Run with {@code -Dgolden.update=true} to rewrite the
 * samples after an intended change, then review the diff.
 */
class RecordJsonTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TestFactory
    Stream<DynamicTest> everyRecordRoundTrips() {
        return Samples.all().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Object sample = e.getValue();
                    String json = ApiJson.strict().writeValueAsString(sample);
                    assertThat(read(ApiJson.strict(), json, sample))
                            .as("strict read of %s", json)
                            .isEqualTo(sample);
                    assertThat(read(ApiJson.lenient(), json, sample)).isEqualTo(sample);
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyRecordMatchesItsGoldenJson() {
        boolean update = Boolean.getBoolean("golden.update");
        return Samples.all().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Path file = GOLDEN.resolve(e.getKey() + ".json");
                    // via text: a tree built from a value has LongNodes where parsed text has IntNodes
                    JsonNode actual = ApiJson.strict().readTree(ApiJson.strict().writeValueAsString(e.getValue()));
                    if (update) {
                        Files.createDirectories(GOLDEN);
                        Files.writeString(
                                file,
                                ApiJson.strict()
                                                .writerWithDefaultPrettyPrinter()
                                                .writeValueAsString(actual) + "\n",
                                StandardCharsets.UTF_8);
                    }
                    String golden = Files.readString(file, StandardCharsets.UTF_8);
                    assertThat(actual)
                            .as("JSON of %s vs %s", e.getKey(), file)
                            .isEqualTo(ApiJson.strict().readTree(golden));
                    // and the golden text itself is a valid request/answer for the record
                    assertThat(read(ApiJson.strict(), golden, e.getValue())).isEqualTo(e.getValue());
                }));
    }

    @TestFactory
    Stream<DynamicTest> anyJacksonMapperWritesTheSameJsonFromTheAnnotations() {
        // A server framework's own mapper (no naming strategy, no modules) must agree with ApiJson.
        JsonMapper plain = JsonMapper.builder().build();
        return Samples.all().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    String ours = ApiJson.strict().writeValueAsString(e.getValue());
                    String theirs = plain.writeValueAsString(e.getValue());
                    assertThat(plain.readTree(theirs)).isEqualTo(plain.readTree(ours));
                    assertThat(read(plain, ours, e.getValue())).isEqualTo(e.getValue());
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyRecordRejectsAnUnknownFieldWhenReadStrictly() {
        return Samples.all().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    var tree = (tools.jackson.databind.node.ObjectNode)
                            ApiJson.strict().valueToTree(e.getValue());
                    tree.put("unexpected_field", 1);
                    String json = ApiJson.strict().writeValueAsString(tree);
                    assertThatThrownBy(() -> ApiJson.strict().readValue(json, Samples.readType(e.getValue())))
                            .isInstanceOfSatisfying(
                                    tools.jackson.core.JacksonException.class,
                                    ex -> assertThat(JsonProblems.of(ex).code()).isEqualTo(ErrorCode.UNKNOWN_FIELD));
                    assertThat(read(ApiJson.lenient(), json, e.getValue())).isEqualTo(e.getValue());
                }));
    }

    @Test
    void everyWireRecordHasASampleAndAGoldenFile() throws IOException {
        Map<String, Object> samples = Samples.all();
        List<String> missing = new ArrayList<>();
        for (Class<?> record : ApiClasses.wireRecords()) {
            String name = Samples.goldenName(record);
            if (!samples.containsKey(name) || !Files.exists(GOLDEN.resolve(name + ".json"))) {
                missing.add(name);
            }
        }
        assertThat(missing)
                .as("records without a sample in Samples.all() or a golden file")
                .isEmpty();
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.map(f -> f.getFileName().toString().replace(".json", "")))
                    .as("golden files without a sample")
                    .allMatch(samples::containsKey);
        }
    }

    @Test
    void everySampleSetsEveryField() {
        // A null field would be left out of the JSON, and its name never pinned by a golden file.
        for (Map.Entry<String, Object> e : Samples.all().entrySet()) {
            for (var component : e.getValue().getClass().getRecordComponents()) {
                try {
                    Object value = component.getAccessor().invoke(e.getValue());
                    if (!(e.getValue() instanceof dev.openshell.api.auth.ApiToken
                            && component.getName().equals("revokedAt"))) {
                        assertThat(value)
                                .as("%s.%s", e.getKey(), component.getName())
                                .isNotNull();
                    }
                } catch (ReflectiveOperationException ex) {
                    throw new AssertionError(ex);
                }
            }
        }
    }

    @Test
    void namesOnTheWireAreSnakeCase() {
        for (Object sample : Samples.all().values()) {
            JsonNode tree = ApiJson.strict().valueToTree(sample);
            assertSnakeCase(tree, sample.getClass().getSimpleName());
        }
    }

    private static void assertSnakeCase(JsonNode node, String where) {
        if (node.isObject()) {
            for (var entry : node.properties()) {
                boolean labelsOrEnv =
                        where.endsWith(".labels") || where.endsWith(".env") || where.endsWith(".credentials");
                if (!labelsOrEnv) {
                    assertThat(entry.getKey()).as("field in %s", where).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
                }
                assertSnakeCase(entry.getValue(), where + "." + entry.getKey());
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                assertSnakeCase(item, where + "[]");
            }
        }
    }

    private static Object read(tools.jackson.databind.ObjectMapper mapper, String json, Object sample) {
        return mapper.readValue(json, Samples.readType(sample));
    }
}
