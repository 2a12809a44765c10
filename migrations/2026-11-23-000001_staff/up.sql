-- Staff accounts, their sign-in sessions (refresh token families) and the audit log.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL CHECK (email = lower(email)),
    name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    role            text NOT NULL CHECK (role IN ('admin', 'editor')),
    password_hash   text NOT NULL,
    is_active       boolean NOT NULL DEFAULT true,
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Emails are stored lower-cased, so a plain unique index is case-insensitive.
CREATE UNIQUE INDEX users_email_key ON users (email);

-- One row per sign-in: the family that every rotated refresh token of that sign-in belongs to.
-- Access tokens carry the session id, so revoking the session ends them at once.
CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    revoked_reason  text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id              uuid PRIMARY KEY,
    session_id      uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash      bytea NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    actor_id        uuid REFERENCES users (id) ON DELETE SET NULL,
    action          text NOT NULL,
    entity_type     text NOT NULL,
    entity_id       text NOT NULL,
    details         jsonb NOT NULL DEFAULT '{}'::jsonb,
    request_id      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
