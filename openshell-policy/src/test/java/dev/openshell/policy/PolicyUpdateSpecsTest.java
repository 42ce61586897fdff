package dev.openshell.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.model.Protocol;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI spellings of update operations. */
class PolicyUpdateSpecsTest {

    private static PolicyUpdate.AddEndpoint addEndpoint(String spec) {
        return PolicyUpdates.parseAddEndpoint(spec, null, List.of("/usr/bin/gh"));
    }

    private static void assertInvalid(Runnable parse, String message) {
        assertThatThrownBy(parse::run)
                .isInstanceOfSatisfying(
                        PolicyException.class, e -> assertThat(e.code()).isEqualTo(PolicyUpdates.INVALID))
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            api.github.com:443                  | api.github.com | 443   | -          | L4
            api.github.com:443:read-only        | api.github.com | 443   | READ_ONLY  | REST
            api.github.com:443:read-write:rest  | api.github.com | 443   | READ_WRITE | REST
            api.github.com:443:rest             | api.github.com | 443   | -          | REST
            api.github.com:443::rest            | api.github.com | 443   | -          | REST
            api.github.com:443:full:REST        | api.github.com | 443   | FULL       | REST
            api.github.com:443:l4               | api.github.com | 443   | -          | L4
            ' API.GitHub.com.:443 '             | api.github.com | 443   | -          | L4
            bücher.example:443                  | xn--bcher-kva.example | 443 | -   | L4
            *.example.com:8080                  | *.example.com  | 8080  | -          | L4
            10.1.2.3:65535                      | 10.1.2.3       | 65535 | -          | L4
            [2001:DB8:0:0:0:0:0:1]:443:rest     | 2001:db8::1    | 443   | -          | REST
            [::1]:1                             | ::1            | 1     | -          | L4
            [::ffff:10.0.0.1]:443               | 10.0.0.1       | 443   | -          | L4
            """)
    void addEndpointSpellings(String spec, String host, int port, Access access, Protocol protocol) {
        PolicyUpdate.AddEndpoint op = addEndpoint(spec);

        assertThat(op)
                .isEqualTo(new PolicyUpdate.AddEndpoint(null, host, port, access, protocol, List.of("/usr/bin/gh")));
    }

    @Test
    void addEndpointKeepsTheKeyAndDropsBlankAndDuplicateBinaries() {
        PolicyUpdate.AddEndpoint op =
                PolicyUpdates.parseAddEndpoint("pypi.org:443", " gh ", Arrays.asList("/a", " ", "/a", null, "/b"));

        assertThat(op.policyKey()).isEqualTo("gh");
        assertThat(op.binaries()).containsExactly("/a", "/b");
        assertThat(PolicyUpdates.parseAddEndpoint("pypi.org:443", "  ", List.of())
                        .policyKey())
                .isNull();
    }

    @Test
    void addEndpointErrorsSayWhatIsValid() {
        assertInvalid(() -> addEndpoint(""), "--add-endpoint: expected HOST:PORT, got an empty value");
        assertInvalid(
                () -> addEndpoint("api.github.com"),
                "--add-endpoint `api.github.com`: expected HOST:PORT, e.g. api.github.com:443");
        assertInvalid(
                () -> addEndpoint("api.github.com:https"),
                "--add-endpoint `api.github.com:https`: port `https` must be a number from 1 to 65535");
        assertInvalid(
                () -> addEndpoint("api.github.com:0"),
                "--add-endpoint `api.github.com:0`: port 0 is out of range 1..65535");
        assertInvalid(
                () -> addEndpoint("api.github.com:70000"),
                "--add-endpoint `api.github.com:70000`: port 70000 is out of range 1..65535");
        assertInvalid(
                () -> addEndpoint("api.github.com:443:readonly"),
                "--add-endpoint `api.github.com:443:readonly`: access `readonly` must be one of read-only,"
                        + " read-write, full");
        assertInvalid(
                () -> addEndpoint("api.github.com:443:full:grpc"),
                "--add-endpoint `api.github.com:443:full:grpc`: protocol `grpc` must be rest or l4");
        assertInvalid(
                () -> addEndpoint("api.github.com:443:full:l4"),
                "--add-endpoint `api.github.com:443:full:l4`: access full needs protocol rest (an l4 endpoint"
                        + " cannot inspect requests)");
        assertInvalid(
                () -> addEndpoint("api.github.com:443:full:rest:x"),
                "--add-endpoint `api.github.com:443:full:rest:x`: expected HOST:PORT[:ACCESS[:PROTOCOL]], got"
                        + " extra fields");
        assertInvalid(() -> addEndpoint(":443"), "--add-endpoint `:443`: the host is empty");
    }

    @Test
    void ipv6HostsMustBeBracketed() {
        String hint = ": write an IPv6 address in brackets, e.g. [2001:db8::1]:443";
        assertInvalid(() -> addEndpoint("2001:db8::1:443"), "--add-endpoint `2001:db8::1:443`" + hint);
        assertInvalid(() -> addEndpoint("::1:443"), "--add-endpoint `::1:443`" + hint);
        assertInvalid(() -> addEndpoint("fe80::1"), "--add-endpoint `fe80::1`" + hint);
        assertInvalid(
                () -> addEndpoint("[2001:db8::1:443"),
                "--add-endpoint `[2001:db8::1:443`: missing `]` after the IPv6 address");
        assertInvalid(
                () -> addEndpoint("[2001:db8::1]443"), "--add-endpoint `[2001:db8::1]443`: expected `:PORT` after `]`");
        assertInvalid(
                () -> addEndpoint("[not:an:address]:443"),
                "--add-endpoint: `not:an:address` is not a valid IPv6 address");
        assertInvalid(
                () -> addEndpoint("[fe80::1%eth0]:443"), "--add-endpoint: `fe80::1%eth0` is not a valid IPv6 address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            [::]:443                     | ::
            [1:0:0:0:0:0:0:0]:443        | 1::
            [2001:db8:0:0:1:0:0:1]:443   | 2001:db8::1:0:0:1
            [2001:0:0:1:0:0:0:1]:443     | 2001:0:0:1::1
            [2001:db8:0:1:1:1:1:1]:443   | 2001:db8:0:1:1:1:1:1
            [2001:0DB8:00AB::0001]:443   | 2001:db8:ab::1
            """)
    void ipv6HostsAreStoredInRfc5952Form(String spec, String host) {
        assertThat(PolicyUpdates.parseRemoveEndpoint(spec).host()).isEqualTo(host);
    }

    @Test
    void removeEndpointTakesHostPortOnly() {
        assertThat(PolicyUpdates.parseRemoveEndpoint("[::1]:8080"))
                .isEqualTo(new PolicyUpdate.RemoveEndpoint("::1", 8080));
        assertInvalid(
                () -> PolicyUpdates.parseRemoveEndpoint("api.github.com:443:rest"),
                "--remove-endpoint `api.github.com:443:rest`: expected HOST:PORT, e.g. api.github.com:443");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            api.github.com:443 POST /repos/**        | api.github.com | 443  | POST   | /repos/**
            'api.github.com:443   post   /repos/** ' | api.github.com | 443  | POST   | /repos/**
            api.github.com:443 GET                   | api.github.com | 443  | GET    | /**
            api.github.com:443:GET:/repos/**         | api.github.com | 443  | GET    | /repos/**
            api.github.com:443:*                     | api.github.com | 443  | *      | /**
            api.example.com:443:POST:/v1/models:gen  | api.example.com | 443 | POST   | /v1/models:gen
            [::1]:8080:GET:/health                   | ::1            | 8080 | GET    | /health
            [::1]:8080 GET /health                   | ::1            | 8080 | GET    | /health
            api.github.com:443 PROPFIND /dav/*       | api.github.com | 443  | PROPFIND | /dav/*
            """)
    void ruleSpellings(String spec, String host, int port, String method, String path) {
        assertThat(PolicyUpdates.parseAddAllow(spec, "/usr/bin/gh"))
                .isEqualTo(new PolicyUpdate.AddAllow(host, port, "/usr/bin/gh", method, path));
        assertThat(PolicyUpdates.parseAddDeny(spec, null))
                .isEqualTo(new PolicyUpdate.AddDeny(host, port, null, method, path));
    }

    @Test
    void ruleErrorsSayWhatIsValid() {
        assertInvalid(
                () -> PolicyUpdates.parseAddAllow("api.github.com:443 GET /", " "),
                "--add-allow needs --binary: an allow rule is added for one binary");
        assertInvalid(
                () -> PolicyUpdates.parseAddAllow("api.github.com:443", "/usr/bin/gh"),
                "--add-allow `api.github.com:443`: expected HOST:PORT:METHOD[:PATH] or 'HOST:PORT METHOD [PATH]'");
        assertInvalid(
                () -> PolicyUpdates.parseAddDeny("api.github.com:443 GET repos", null),
                "--add-deny `api.github.com:443 GET repos`: path `repos` must start with /");
        assertInvalid(
                () -> PolicyUpdates.parseAddDeny("api.github.com:443 GE(T /", null),
                "--add-deny `api.github.com:443 GE(T /`: method `GE(T` must be an HTTP method such as GET, or *");
        assertInvalid(
                () -> PolicyUpdates.parseAddDeny("api.github.com:443 GET / extra", null),
                "--add-deny `api.github.com:443 GET / extra`: expected HOST:PORT METHOD [PATH], got 4 words");
        assertInvalid(
                () -> PolicyUpdates.parseAddDeny("api.github.com:443:GET /", null),
                "--add-deny `api.github.com:443:GET /`: expected HOST:PORT METHOD [PATH]; `api.github.com:443:GET`"
                        + " has more than HOST:PORT");
    }
}
