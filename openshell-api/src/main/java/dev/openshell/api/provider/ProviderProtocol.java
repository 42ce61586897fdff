package dev.openshell.api.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/** The API shape a provider speaks, which decides how the privacy router injects its credential. */
public enum ProviderProtocol {
    /** OpenAI-compatible (OpenAI, NVIDIA NIM, vLLM, Ollama...): {@code Authorization: Bearer}. */
    OPENAI("openai"),
    /** Anthropic Messages: {@code x-api-key}. */
    ANTHROPIC("anthropic");

    private final String wire;

    ProviderProtocol(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
