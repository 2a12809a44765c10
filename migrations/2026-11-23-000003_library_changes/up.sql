-- Every committed change to the library is announced on the `library_changes` channel, so each
-- instance's search index applies it (see src/resources/index/sync.rs). Statement-level triggers
-- with transition tables: one notification per statement, carrying the changed resource ids,
-- or `*` when a statement changed so many that reloading everything is cheaper.

CREATE FUNCTION library_notify(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    ELSIF cardinality(ids) > 100 THEN
        PERFORM pg_notify('library_changes', '*');
    ELSE
        PERFORM pg_notify('library_changes', array_to_string(ids, ','));
    END IF;
END $$;

-- The changed rows' resource ids; TG_ARGV[0] names the column that holds them.
CREATE FUNCTION rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[];
BEGIN
    EXECUTE format('SELECT ARRAY(SELECT DISTINCT %I FROM %I)', TG_ARGV[0],
                   CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END) INTO ids;
    PERFORM library_notify(ids);
    RETURN NULL;
END $$;

CREATE FUNCTION library_changed_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('library_changes', TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE TRIGGER resources_inserted AFTER INSERT ON resources
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_changed('id');
CREATE TRIGGER resources_updated AFTER UPDATE ON resources
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_changed('id');
CREATE TRIGGER resources_deleted AFTER DELETE ON resources
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_changed('id');
CREATE TRIGGER resources_truncated AFTER TRUNCATE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION library_changed_everything('*');

CREATE TRIGGER resource_terms_inserted AFTER INSERT ON resource_terms
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_changed('resource_id');
CREATE TRIGGER resource_terms_updated AFTER UPDATE ON resource_terms
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_changed('resource_id');
CREATE TRIGGER resource_terms_deleted AFTER DELETE ON resource_terms
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_changed('resource_id');
CREATE TRIGGER resource_terms_truncated AFTER TRUNCATE ON resource_terms
    FOR EACH STATEMENT EXECUTE FUNCTION library_changed_everything('*');

CREATE TRIGGER vocabulary_terms_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vocabulary_terms
    FOR EACH STATEMENT EXECUTE FUNCTION library_changed_everything('taxonomy');

-- A resource with its vocabulary links, for reading pages and single resources in one query.
CREATE VIEW resource_cards AS
SELECT r.id, r.slug, r.title, r.summary, r.url, r.resource_type_id, r.year, r.authors, r.source, r.doi,
       r.open_access, r.status, r.is_spotlight, r.published_at, r.created_at, r.updated_at,
       ARRAY(SELECT t.term_id FROM resource_terms t WHERE t.resource_id = r.id ORDER BY t.term_id) AS term_ids
FROM resources r;
