package dev.openshell.sandbox.proxy;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.CompiledPolicy;

/** Real policies for tests: YAML through the real parser and engine. */
final class TestPolicies {

    private TestPolicies() {}

    static CompiledPolicy compile(String yaml) {
        return PolicyEngine.compile(PolicyParser.parse(yaml));
    }
}
