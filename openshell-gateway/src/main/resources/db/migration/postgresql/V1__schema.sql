-- Times are epoch milliseconds; JSON columns hold ApiJson text; *_sealed columns hold AES-GCM ciphertext.
CREATE TABLE sandboxes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    phase TEXT NOT NULL,
    reason TEXT,
    exit_code INTEGER,
    labels TEXT NOT NULL,
    image TEXT,
    command TEXT NOT NULL,
    env_sealed TEXT,
    providers TEXT NOT NULL,
    resources TEXT,
    created_at BIGINT NOT NULL,
    ready_at BIGINT,
    policy_revision BIGINT,
    resource_version BIGINT NOT NULL
);

CREATE TABLE policy_revisions (
    sandbox_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    hash TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    loaded_at BIGINT,
    PRIMARY KEY (sandbox_id, number)
);

CREATE TABLE providers (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    base_url TEXT,
    protocol TEXT,
    credential_keys TEXT NOT NULL,
    credentials_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    resource_version BIGINT NOT NULL
);

CREATE TABLE inference_routes (
    name TEXT PRIMARY KEY,
    route TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    resource_version BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT,
    scopes TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    sandbox_id TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    operation TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    response TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (caller, operation, idem_key)
);

CREATE TABLE decisions (
    id BIGSERIAL PRIMARY KEY,
    sandbox_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    verdict TEXT NOT NULL,
    binary_path TEXT,
    host TEXT,
    record TEXT NOT NULL
);
CREATE INDEX decisions_by_sandbox ON decisions (sandbox_id, id);

CREATE TABLE log_lines (
    id BIGSERIAL PRIMARY KEY,
    sandbox_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    source TEXT NOT NULL,
    line TEXT NOT NULL
);
CREATE INDEX log_lines_by_sandbox ON log_lines (sandbox_id, id);
