-- Partner access: partner institutions and their API keys, and the library's change log that the
-- sync feed and OAI-PMH read.

CREATE TABLE partners (
    id              uuid PRIMARY KEY,
    institution     text NOT NULL CHECK (char_length(institution) BETWEEN 1 AND 200),
    contact_name    text NOT NULL DEFAULT '' CHECK (char_length(contact_name) <= 200),
    contact_email   text CHECK (contact_email = lower(contact_email)),
    notes           text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 2000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A key is shown once; only its SHA-256 is kept, with a short visible prefix to tell keys apart.
CREATE TABLE api_keys (
    id              uuid PRIMARY KEY,
    partner_id      uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    name            text NOT NULL DEFAULT '' CHECK (char_length(name) <= 120),
    prefix          text NOT NULL UNIQUE,
    key_hash        bytea NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    last_used_at    timestamptz,
    request_count   bigint NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_partner ON api_keys (partner_id, created_at);

-- Every change to the published library, in commit order. Writers take one advisory lock before
-- taking a sequence number and hold it until they commit, so no change can commit after a later
-- number is visible: a reader that has seen number N has seen every change up to N. (Library
-- writes are editors' edits: serialising them costs nothing noticeable.)
CREATE SEQUENCE library_changes_seq;
CREATE TABLE library_changes (
    seq         bigint PRIMARY KEY,
    resource_id uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('created', 'updated', 'unpublished', 'deleted')),
    -- What a tombstone needs after the resource is gone.
    slug        text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX library_changes_resource ON library_changes (resource_id, seq DESC);
CREATE INDEX library_changes_changed_at ON library_changes (changed_at, seq);

CREATE FUNCTION library_log(id uuid, what text, slug text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- One `updated` per resource and transaction is enough (its state is read when served).
    IF what = 'updated' AND EXISTS (
        SELECT 1 FROM library_changes c
        WHERE c.resource_id = id AND c.txid = pg_current_xact_id() AND c.kind IN ('created', 'updated')
    ) THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(7347253);
    -- Stamped when numbered (not at the transaction's start), so datestamps follow the numbers.
    INSERT INTO library_changes (seq, resource_id, kind, slug, changed_at)
    VALUES (nextval('library_changes_seq'), id, what, slug, clock_timestamp());
END $$;

-- Every statement that writes the library takes the lock before it locks any row, so two writers
-- never hold a row each while waiting for the other's lock (the lock is always first).
CREATE FUNCTION library_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7347253);
    RETURN NULL;
END $$;
CREATE TRIGGER resources_lock BEFORE INSERT OR UPDATE OR DELETE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION library_lock();
CREATE TRIGGER resource_terms_lock BEFORE INSERT OR UPDATE OR DELETE ON resource_terms
    FOR EACH STATEMENT EXECUTE FUNCTION library_lock();
CREATE TRIGGER vocabulary_terms_lock BEFORE INSERT OR UPDATE OR DELETE ON vocabulary_terms
    FOR EACH STATEMENT EXECUTE FUNCTION library_lock();

CREATE FUNCTION resources_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := TG_OP <> 'INSERT' AND OLD.status = 'published';
    now_published boolean := TG_OP <> 'DELETE' AND NEW.status = 'published';
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF was THEN PERFORM library_log(OLD.id, 'deleted', OLD.slug); END IF;
    ELSIF now_published AND NOT was THEN
        PERFORM library_log(NEW.id, 'created', NEW.slug);
    ELSIF was AND NOT now_published THEN
        PERFORM library_log(NEW.id, 'unpublished', NEW.slug);
    ELSIF was AND now_published AND (OLD.*) IS DISTINCT FROM (NEW.*) THEN
        PERFORM library_log(NEW.id, 'updated', NEW.slug);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER resources_log_changes AFTER INSERT OR UPDATE OR DELETE ON resources
    FOR EACH ROW EXECUTE FUNCTION resources_log_changes();

-- A published resource's domains, topics and professions are part of it.
CREATE FUNCTION resource_terms_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE format(
        'SELECT DISTINCT x.id, x.slug FROM %I t JOIN resources x ON x.id = t.resource_id WHERE x.status = ''published''',
        CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END)
    LOOP
        PERFORM library_log(r.id, 'updated', r.slug);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER resource_terms_log_inserted AFTER INSERT ON resource_terms
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION resource_terms_log_changes();
CREATE TRIGGER resource_terms_log_deleted AFTER DELETE ON resource_terms
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION resource_terms_log_changes();

-- A relabelled or moved vocabulary value changes every published resource that shows it (labels
-- and the order of its lists).
CREATE FUNCTION vocabulary_terms_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF NEW.label IS DISTINCT FROM OLD.label OR NEW.position IS DISTINCT FROM OLD.position THEN
        FOR r IN
            SELECT x.id, x.slug FROM resources x
            WHERE x.status = 'published'
              AND (x.resource_type_id = NEW.id
                   OR EXISTS (SELECT 1 FROM resource_terms t WHERE t.resource_id = x.id AND t.term_id = NEW.id))
              -- A move reorders only lists that hold another value of the same vocabulary.
              AND (NEW.label IS DISTINCT FROM OLD.label OR EXISTS (
                   SELECT 1 FROM resource_terms t JOIN vocabulary_terms v ON v.id = t.term_id
                   WHERE t.resource_id = x.id AND t.term_id <> NEW.id AND v.vocabulary = NEW.vocabulary))
        LOOP
            PERFORM library_log(r.id, 'updated', r.slug);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER vocabulary_terms_log_changes AFTER UPDATE OF label, position ON vocabulary_terms
    FOR EACH ROW EXECUTE FUNCTION vocabulary_terms_log_changes();

-- What was published before the log existed counts as created at the start.
INSERT INTO library_changes (seq, resource_id, kind, slug, changed_at)
SELECT nextval('library_changes_seq'), id, 'created', slug, coalesce(published_at, created_at)
FROM (SELECT id, slug, published_at, created_at FROM resources WHERE status = 'published' ORDER BY published_at, id) p;
