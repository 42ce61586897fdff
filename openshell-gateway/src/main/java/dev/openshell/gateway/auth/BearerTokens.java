package dev.openshell.gateway.auth;

/** Checks API token secrets; implemented by the token store. */
public interface BearerTokens {

    /** What a presented secret resolves to. */
    sealed interface Outcome {
        record Valid(Caller caller) implements Outcome {}

        /** The secret is right but the token's time is up: the caller may learn that, it holds the secret. */
        record Expired() implements Outcome {}

        /** Unknown, malformed or revoked: nothing more is said. */
        record Refused() implements Outcome {}
    }

    Outcome authenticate(String secret);
}
