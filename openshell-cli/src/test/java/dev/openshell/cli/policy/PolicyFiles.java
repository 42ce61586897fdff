package dev.openshell.cli.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Policy documents the command tests run against. */
final class PolicyFiles {

    /** Two REST and two L4 endpoints over three policies, one private, one in audit mode. */
    static final String MIXED = """
            version: 1
            network_policies:
              github:
                endpoints:
                  - host: api.github.com
                    port: 443
                    protocol: rest
                    access: read-only
                    deny_rules:
                      - { method: "*", path: "/repos/*/*/rulesets" }
                  - host: "*.githubusercontent.com"
                    port: 443
                binaries:
                  - { path: /usr/bin/gh }
                  - { path: /usr/bin/curl }
              internal:
                endpoints:
                  - host: git.corp.example
                    port: 443
                    allowed_ips: [10.1.0.0/16]
                binaries:
                  - { path: /usr/bin/git }
              audited:
                endpoints:
                  - host: api.example.com
                    port: 443
                    protocol: rest
                    enforcement: audit
                    access: read-only
                binaries:
                  - { path: /usr/bin/curl }
            """;

    /** Two errors: a port out of range (line 6) and a relative binary path (line 8). */
    static final String INVALID = """
            version: 1
            network_policies:
              gh:
                endpoints:
                  - host: api.github.com
                    port: 70000
                binaries:
                  - { path: bin/gh }
            """;

    private PolicyFiles() {}

    static String write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
