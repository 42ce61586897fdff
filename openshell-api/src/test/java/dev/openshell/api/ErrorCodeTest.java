package dev.openshell.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.json.ApiJson;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeIsWellFormed(ErrorCode code) {
        assertThat(code.wire()).matches("[a-z]+(_[a-z]+)*");
        assertThat(code.httpStatus()).isBetween(400, 599);
        assertThat(code.hint())
                .as("one line, a sentence, short")
                .doesNotContain("\n")
                .matches(".*[.?]")
                .hasSizeLessThanOrEqualTo(110);
        assertThat(Character.isUpperCase(code.hint().charAt(0)) || code.hint().startsWith("filesystem_policy"))
                .isTrue();
        assertThat(code.type()).hasToString("urn:openshell:problem:" + code.wire());
        assertThat(ErrorCode.fromWire(code.wire())).contains(code);
        assertThat(ApiJson.strict().writeValueAsString(code)).isEqualTo('"' + code.wire() + '"');
        assertThat(ApiJson.strict().readValue('"' + code.wire() + '"', ErrorCode.class))
                .isEqualTo(code);
    }

    @Test
    void titlesReadAsWords() {
        assertThat(ErrorCode.POLICY_DENIED.title()).isEqualTo("Policy denied");
        assertThat(ErrorCode.SSH_AUTH_FAILED.title()).isEqualTo("SSH auth failed");
        assertThat(ErrorCode.URI_TOO_LONG.title()).isEqualTo("URI too long");
        assertThat(ErrorCode.SANDBOX_ID_INVALID.title()).isEqualTo("Sandbox ID invalid");
    }

    @Test
    void theExitStatusesOfTheDesignHold() {
        // policy set --wait: 0 loaded, 1 rejected, 124 timeout; usage errors 2
        assertThat(ErrorCode.POLICY_REJECTED.exitCode()).isEqualTo(1);
        assertThat(ErrorCode.POLICY_DENIED.exitCode()).isEqualTo(1);
        assertThat(ErrorCode.TIMEOUT.exitCode()).isEqualTo(124);
        assertThat(ErrorCode.VALIDATION_FAILED.exitCode()).isEqualTo(2);
        assertThat(ErrorCode.UNKNOWN_FIELD.exitCode()).isEqualTo(2);
        assertThat(ErrorCode.NOT_FOUND.exitCode()).isEqualTo(3);
        assertThat(ErrorCode.INTERNAL.exitCode()).isEqualTo(70);
        // the codes the CLI uses today keep their exit status: invalid input 2, sandbox failure 125
        assertThat(ErrorCode.POLICY_INVALID.exitCode()).isEqualTo(2);
        assertThat(ErrorCode.SPEC_INVALID.exitCode()).isEqualTo(2);
        assertThat(ErrorCode.WORKDIR_MISSING.exitCode()).isEqualTo(2);
        assertThat(ErrorCode.NOT_ROOT.exitCode()).isEqualTo(125);
        assertThat(ErrorCode.START_FAILED.exitCode()).isEqualTo(125);
    }

    @Test
    void exitStatusesAreDistinctAndOutsideTheSignalRange() {
        Set<Integer> seen = new HashSet<>();
        for (ExitStatus s : ExitStatus.values()) {
            assertThat(seen.add(s.code())).as("%s reuses %d", s, s.code()).isTrue();
            assertThat(s.code()).isBetween(0, 125); // 126+ are the shell's and signals'
        }
    }

    @Test
    void everyExitStatusButOkHasACode() {
        Set<ExitStatus> used = EnumSet.noneOf(ExitStatus.class);
        for (ErrorCode code : ErrorCode.values()) {
            used.add(code.exitStatus());
        }
        assertThat(used).containsAll(EnumSet.complementOf(EnumSet.of(ExitStatus.OK)));
    }

    @Test
    void statusesMapBackToCodes() {
        assertThat(ErrorCode.forStatus(404)).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ErrorCode.forStatus(412)).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(ErrorCode.forStatus(429)).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(ErrorCode.forStatus(502)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(ErrorCode.forStatus(504)).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(ErrorCode.forStatus(418)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(ErrorCode.forStatus(599)).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ErrorCode.fromWire("no_such_code")).isEmpty();
        assertThat(ErrorCode.fromWire(null)).isEmpty();
    }

    @Test
    void problemsCarryTheCodesTypeTitleAndStatus() {
        Problem p = Problem.of(ErrorCode.PRECONDITION_FAILED, "sandbox demo changed (resource_version 18, not 17)");
        assertThat(p.type()).isEqualTo("urn:openshell:problem:precondition_failed");
        assertThat(p.title()).isEqualTo("Precondition failed");
        assertThat(p.status()).isEqualTo(412);
        assertThat(p.effectiveHint()).isEqualTo(ErrorCode.PRECONDITION_FAILED.hint());
        ApiException e = new ApiException(p);
        assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(e.exitCode()).isEqualTo(4);
        assertThat(e.getMessage()).isEqualTo("sandbox demo changed (resource_version 18, not 17)");
    }

    @Test
    void theMessageOfAProblemFromTheWireIsOneSafeLine() {
        Problem hostile =
                new Problem(null, null, 500, "boom\n\u001b[2Jcleared\u202eevil", null, null, "do\rthis", null);
        ApiException e = new ApiException(hostile);
        assertThat(e.getMessage()).isEqualTo("boom\\u000a\\u001b[2Jcleared\\u202eevil");
        assertThat(e.hint()).isEqualTo("do\\u000dthis");
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void invalidListsEveryFieldAndNamesTheFirst() {
        Problem p =
                Problem.invalid(java.util.List.of(new FieldError("name", "bad"), new FieldError("labels.a", "worse")));
        assertThat(p.detail()).isEqualTo("name: bad (and 1 more)");
        assertThat(p.errors()).hasSize(2);
        assertThat(p.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    }
}
