-- The public taxonomy (kept rendered in memory per vocabulary generation) carries the
-- vocabularies' headings and introductions: a change to them tells every instance, as a change
-- to a vocabulary's values does.
CREATE TRIGGER vocabularies_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vocabularies
    FOR EACH STATEMENT EXECUTE FUNCTION library_changed_everything('taxonomy');
