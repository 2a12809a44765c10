-- Every published resource as `GET /api/v1/resources/{key}` serves it: its JSON, byte for byte what
-- the service's serde output of `ResourceJson` is, and its ETag, kept current by the triggers below
-- whatever writes the library (the service, a seed, a migration). A cold detail is then one probe of
-- one unique index, and a list page's cards one `= ANY` probe, with nothing to assemble or hash.
-- No race: every statement that writes the library takes the library lock first (`library_lock`),
-- and the triggers render in statements of their own, so they read every change committed before.

CREATE TABLE served_cards (
    resource_id uuid PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
    -- The resource's current slug (earlier ones resolve through `resource_slugs`).
    slug        text NOT NULL,
    body        text NOT NULL,
    -- `"` + the first 12 bytes of the body's SHA-256 in hex + `"`, as `etag_for` makes it.
    etag        text NOT NULL
);
CREATE UNIQUE INDEX served_cards_slug ON served_cards (slug);

-- A timestamp as chrono serialises a `DateTime<Utc>`: RFC 3339 in UTC with `Z`, and 0, 3 or 6
-- fractional digits (as few as show the value exactly).
CREATE FUNCTION card_time(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t IS NULL THEN 'null' ELSE
        '"' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN us = 0 THEN ''
                WHEN us % 1000 = 0 THEN '.' || lpad((us / 1000)::text, 3, '0')
                ELSE '.' || lpad(us::text, 6, '0') END
        || 'Z"' END
    FROM (SELECT (extract(microseconds FROM t)::bigint % 1000000) AS us) x
$$;

-- A vocabulary value as a `TermRef`.
CREATE FUNCTION card_term(t vocabulary_terms) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT '{"slug":' || to_json(t.slug)::text || ',"label":' || to_json(t.label)::text || '}'
$$;

-- The values of one vocabulary linked to a resource, in display order.
CREATE FUNCTION card_terms(resource uuid, vocab text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce('[' || string_agg(card_term(t), ',' ORDER BY t.position, t.id) || ']', '[]')
    FROM resource_terms rt JOIN vocabulary_terms t ON t.id = rt.term_id
    WHERE rt.resource_id = resource AND t.vocabulary = vocab
$$;

-- The served JSON of a resource (the field order of `ResourceJson`; strings escaped by `to_json`,
-- which escapes exactly what serde_json does).
CREATE FUNCTION card_body(r resources) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT '{"id":"' || r.id::text || '"'
        || ',"slug":' || to_json(r.slug)::text
        || ',"title":' || to_json(r.title)::text
        || ',"summary":' || to_json(r.summary)::text
        || ',"url":' || coalesce(to_json(r.url)::text, 'null')
        || ',"resource_type":' || coalesce((SELECT card_term(t) FROM vocabulary_terms t WHERE t.id = r.resource_type_id),
                                           '{"slug":"","label":""}')
        || ',"domains":' || card_terms(r.id, 'domain')
        || ',"topics":' || card_terms(r.id, 'topic')
        || ',"professions":' || card_terms(r.id, 'profession')
        || ',"year":' || coalesce(r.year::text, 'null')
        || ',"authors":' || to_json(r.authors)::text
        || ',"source":' || coalesce(to_json(r.source)::text, 'null')
        || ',"doi":' || coalesce(to_json(r.doi)::text, 'null')
        || ',"open_access":' || CASE WHEN r.open_access THEN 'true' ELSE 'false' END
        || ',"published_at":' || card_time(r.published_at)
        || ',"updated_at":' || card_time(r.updated_at)
        || '}'
$$;

-- Renders the cards of these resources again: published ones are (re)written, the others removed.
CREATE FUNCTION render_cards(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM served_cards s
    WHERE s.resource_id = ANY (ids)
      AND NOT EXISTS (SELECT 1 FROM resources r WHERE r.id = s.resource_id AND r.status = 'published');
    INSERT INTO served_cards (resource_id, slug, body, etag)
    SELECT c.id, c.slug, c.body, '"' || left(encode(sha256(convert_to(c.body, 'UTF8')), 'hex'), 24) || '"'
    FROM (SELECT r.id, r.slug, card_body(r) AS body
          FROM resources r WHERE r.id = ANY (ids) AND r.status = 'published') c
    ON CONFLICT (resource_id) DO UPDATE SET slug = EXCLUDED.slug, body = EXCLUDED.body, etag = EXCLUDED.etag
        WHERE served_cards.body IS DISTINCT FROM EXCLUDED.body;
END $$;

CREATE FUNCTION served_cards_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM render_cards(ARRAY(SELECT DISTINCT n.id FROM new_rows n));
    RETURN NULL;
END $$;
CREATE FUNCTION served_cards_linked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM render_cards(ARRAY(SELECT DISTINCT c.resource_id FROM changed_rows c));
    RETURN NULL;
END $$;
-- A value relabelled, renamed or moved: every card that shows it.
CREATE FUNCTION served_cards_vocabulary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM render_cards(ARRAY(
        WITH changed AS (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.slug, n.label, n.position, n.vocabulary) IS DISTINCT FROM (o.slug, o.label, o.position, o.vocabulary)
        )
        SELECT rt.resource_id FROM resource_terms rt WHERE rt.term_id IN (SELECT id FROM changed)
        UNION
        SELECT r.id FROM resources r WHERE r.resource_type_id IN (SELECT id FROM changed)));
    RETURN NULL;
END $$;

CREATE TRIGGER served_cards_inserted AFTER INSERT ON resources
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION served_cards_new_rows();
CREATE TRIGGER served_cards_updated AFTER UPDATE ON resources
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION served_cards_new_rows();
CREATE TRIGGER served_cards_linked AFTER INSERT ON resource_terms
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION served_cards_linked();
CREATE TRIGGER served_cards_relinked AFTER UPDATE ON resource_terms
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION served_cards_linked();
CREATE TRIGGER served_cards_unlinked AFTER DELETE ON resource_terms
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION served_cards_linked();
CREATE TRIGGER served_cards_vocabulary AFTER UPDATE ON vocabulary_terms
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION served_cards_vocabulary();

SELECT render_cards(ARRAY(SELECT id FROM resources WHERE status = 'published'));
