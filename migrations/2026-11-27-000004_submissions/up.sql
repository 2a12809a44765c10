-- Public submissions (resource suggestions, Champion nominations, newsletter signups), the
-- published Champion Spotlights, the outbox of messages and the idempotency keys of public POSTs.

-- The key under which two URLs count as the same page: scheme and `www.` dropped, host lower-cased,
-- default port, fragment and trailing slashes removed, tracking parameters (utm_*, fbclid, gclid...)
-- removed and the rest sorted. In SQL so that expression indexes on resources and suggestions
-- answer "is this URL already known?" with one index lookup each.
CREATE FUNCTION url_key(u text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    m text[];
    host text;
    path text;
    query text;
BEGIN
    IF u IS NULL THEN
        RETURN NULL;
    END IF;
    m := regexp_match(btrim(u), '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?');
    IF m IS NULL THEN
        RETURN lower(btrim(u));
    END IF;
    host := regexp_replace(regexp_replace(lower(m[1]), ':(80|443)$', ''), '^www\.', '');
    path := regexp_replace(m[2], '/+$', '');
    SELECT string_agg(p, '&' ORDER BY p) INTO query
    FROM unnest(string_to_array(m[3], '&')) AS p
    WHERE p <> '' AND p !~* '^(utm_[^=]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid|yclid|ref_src)(=|$)';
    RETURN host || path || coalesce('?' || query, '');
END $$;

CREATE INDEX resources_url_key ON resources (url_key(url)) WHERE url IS NOT NULL;

CREATE TABLE suggestions (
    id                  uuid PRIMARY KEY,
    title               text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 300),
    url                 text NOT NULL CHECK (url ~ '^https?://' AND char_length(url) <= 2000),
    why                 text NOT NULL CHECK (char_length(why) BETWEEN 1 AND 5000),
    domains             text[] NOT NULL DEFAULT '{}',
    topics              text[] NOT NULL DEFAULT '{}',
    professions         text[] NOT NULL DEFAULT '{}',
    -- NULL only after the person was erased.
    submitter_name      text CHECK (char_length(submitter_name) BETWEEN 1 AND 200),
    submitter_email     text CHECK (submitter_email = lower(submitter_email)),
    consent_to_contact  boolean NOT NULL,
    status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    resource_id         uuid REFERENCES resources (id) ON DELETE SET NULL,
    decision_reason     text CHECK (char_length(decision_reason) <= 2000),
    decided_by          uuid REFERENCES users (id) ON DELETE SET NULL,
    decided_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'rejected' OR decision_reason IS NOT NULL)
);
CREATE INDEX suggestions_queue ON suggestions (status, created_at DESC, id DESC);
CREATE INDEX suggestions_newest ON suggestions (created_at DESC, id DESC);
CREATE INDEX suggestions_url_key ON suggestions (url_key(url));
CREATE INDEX suggestions_submitter_email ON suggestions (submitter_email);

-- The suggestion a resource was made from (the other half of the two-way link).
ALTER TABLE resources ADD COLUMN suggestion_id uuid REFERENCES suggestions (id) ON DELETE SET NULL;

CREATE TABLE champion_nominations (
    id                      uuid PRIMARY KEY,
    nominee_name            text NOT NULL CHECK (char_length(nominee_name) BETWEEN 1 AND 200),
    nominee_role            text NOT NULL CHECK (char_length(nominee_role) BETWEEN 1 AND 200),
    nominee_institution     text NOT NULL CHECK (char_length(nominee_institution) BETWEEN 1 AND 200),
    profession_id           integer NOT NULL,
    profession_vocab        text NOT NULL DEFAULT 'profession' CHECK (profession_vocab = 'profession'),
    -- NULL only after the person was erased.
    nominee_email           text CHECK (nominee_email = lower(nominee_email)),
    health_equity_work      text NOT NULL CHECK (char_length(health_equity_work) BETWEEN 1 AND 5000),
    self_nomination         boolean NOT NULL,
    nominator_name          text CHECK (char_length(nominator_name) BETWEEN 1 AND 200),
    nominator_email         text CHECK (nominator_email = lower(nominator_email)),
    consent_to_feature      boolean NOT NULL,
    -- The nominee's own answer: given on the form (self-nominations) or through the emailed link.
    nominee_consent         text NOT NULL CHECK (nominee_consent IN ('given', 'declined', 'requested')),
    consent_token_hash      bytea UNIQUE,
    consent_requested_at    timestamptz,
    consent_answered_at     timestamptz,
    status                  text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decision_reason         text CHECK (char_length(decision_reason) <= 2000),
    decided_by              uuid REFERENCES users (id) ON DELETE SET NULL,
    decided_at              timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (profession_id, profession_vocab) REFERENCES vocabulary_terms (id, vocabulary),
    -- Approved only with consent; a nominee may still withdraw it afterwards (their answer is then recorded).
    CHECK (status <> 'approved' OR nominee_consent = 'given' OR consent_answered_at IS NOT NULL),
    CHECK (status <> 'rejected' OR decision_reason IS NOT NULL)
);
CREATE INDEX champion_nominations_queue ON champion_nominations (status, created_at DESC, id DESC);
CREATE INDEX champion_nominations_newest ON champion_nominations (created_at DESC, id DESC);
CREATE INDEX champion_nominations_nominee_email ON champion_nominations (nominee_email);
CREATE INDEX champion_nominations_nominator_email ON champion_nominations (nominator_email);

-- Published Champion Spotlights: only what the nominee agreed to show, never a contact.
CREATE TABLE champions (
    id                  uuid PRIMARY KEY,
    nomination_id       uuid UNIQUE REFERENCES champion_nominations (id) ON DELETE SET NULL,
    slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 120),
    name                text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    role                text NOT NULL CHECK (char_length(role) BETWEEN 1 AND 200),
    institution         text NOT NULL CHECK (char_length(institution) BETWEEN 1 AND 200),
    profession_id       integer NOT NULL,
    profession_vocab    text NOT NULL DEFAULT 'profession' CHECK (profession_vocab = 'profession'),
    story               text NOT NULL CHECK (char_length(story) BETWEEN 1 AND 10000),
    photo_url           text CHECK (photo_url ~ '^https?://' AND char_length(photo_url) <= 2000),
    status              text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'unpublished')),
    published_on        date NOT NULL DEFAULT current_date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (profession_id, profession_vocab) REFERENCES vocabulary_terms (id, vocabulary)
);
CREATE INDEX champions_published ON champions (published_on DESC, created_at DESC, id DESC) WHERE status = 'published';

CREATE TABLE newsletter_subscribers (
    id                      uuid PRIMARY KEY,
    email                   text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
    name                    text CHECK (char_length(name) BETWEEN 1 AND 200),
    status                  text NOT NULL CHECK (status IN ('pending', 'subscribed', 'unsubscribed')),
    consent_at              timestamptz NOT NULL,
    confirmation_sent_at    timestamptz,
    confirmed_at            timestamptz,
    unsubscribed_at         timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
-- Emails are stored lower-cased, so this is case-insensitive; it is what makes concurrent
-- repeats of one signup end in a single row.
CREATE UNIQUE INDEX newsletter_subscribers_email ON newsletter_subscribers (email);
CREATE INDEX newsletter_subscribers_status ON newsletter_subscribers (status, created_at, id);

-- Secrets sent in messages, stored only as SHA-256. Erasing a subscriber keeps the hashes of their
-- unsubscribe tokens (subscriber_id becomes NULL), so a link in an old message still answers.
CREATE TABLE newsletter_tokens (
    token_hash      bytea PRIMARY KEY,
    subscriber_id   uuid REFERENCES newsletter_subscribers (id) ON DELETE SET NULL,
    purpose         text NOT NULL CHECK (purpose IN ('confirm', 'unsubscribe')),
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX newsletter_tokens_subscriber ON newsletter_tokens (subscriber_id);

-- Messages waiting to be sent. A request writes them in its own transaction; the worker claims
-- them with FOR UPDATE SKIP LOCKED (src/jobs/outbox.rs).
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    kind            text NOT NULL,
    recipient       text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    headers         jsonb NOT NULL DEFAULT '{}'::jsonb,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'logged', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_recipient ON outbox (recipient);

-- Idempotency-Key of public POSTs: the first answer, replayed for the same key and body.
-- response_status is NULL while the first request is still being processed.
CREATE TABLE idempotency_keys (
    scope               text NOT NULL,
    key                 text NOT NULL,
    request_hash        bytea NOT NULL,
    response_status     smallint,
    response_body       text,
    response_location   text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
