package dev.openshell.policy.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The data-driven policy corpus: every fixture under {@code src/test/resources/corpus} (see
 * {@link CorpusLoader} for the format) plus the generated size-limit cases, one dynamic test per
 * case, checked against {@code PolicyParser}, {@code PolicyEngine} and {@code CompiledPolicy}.
 */
class PolicyCorpusTest {

    static final int MINIMUM_CASES = 150;

    @TestFactory
    Stream<DynamicTest> corpus() {
        return Stream.concat(CorpusLoader.loadAll().stream(), GeneratedCases.all().stream())
                .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> CorpusRunner.run(c)));
    }

    @Test
    void corpusHasEnoughCases() {
        List<CorpusCase> cases = CorpusLoader.loadAll();
        Map<String, Long> perArea = new TreeMap<>(
                cases.stream().collect(Collectors.groupingBy(c -> c.group().split("/")[0], Collectors.counting())));
        System.out.println("policy corpus: " + cases.size() + " fixture cases + "
                + GeneratedCases.all().size() + " generated; per area " + perArea);
        assertThat(cases).as("fixture cases in the corpus").hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
    }

    @Test
    void displayNamesAreUnique() {
        List<String> names = Stream.concat(CorpusLoader.loadAll().stream(), GeneratedCases.all().stream())
                .map(CorpusCase::displayName)
                .toList();
        assertThat(names).doesNotHaveDuplicates();
    }
}
