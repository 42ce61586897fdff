package dev.openshell.sandbox.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.PolicyUpdates;
import dev.openshell.policy.model.PolicyValidationException;
import org.junit.jupiter.api.Test;

/**
 * {@code openshell-policy} depends on no other module of ours, so its exceptions carry the wire
 * form of their code as text; each must be one {@link ErrorCode} knows.
 */
class PolicyCodesTest {

    @Test
    void everyCodeOfThePolicyModuleIsAnErrorCode() {
        assertThat(ErrorCode.fromWire(PolicyValidationException.CODE)).contains(ErrorCode.POLICY_INVALID);
        assertThat(ErrorCode.fromWire(PolicyParser.CODE_UNREADABLE)).contains(ErrorCode.POLICY_UNREADABLE);
        assertThat(ErrorCode.fromWire(PolicyUpdates.INVALID)).contains(ErrorCode.POLICY_UPDATE_INVALID);
    }
}
