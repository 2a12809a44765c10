-- `suggest` joins the words the public paths use after `/resources/`: never a resource's slug
-- (`GET /api/v1/resources/suggest` answers suggestions). A resource that already has it (none
-- can have been made through the API since the service refuses it from now on) is renamed.
UPDATE resources SET slug = slug || '-resource' WHERE slug = 'suggest';
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'resources'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%spotlight%'
    LOOP
        EXECUTE format('ALTER TABLE resources DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
ALTER TABLE resources ADD CONSTRAINT resources_slug_check
    CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND slug NOT IN ('spotlight', 'changes', 'export', 'feed', 'facets', 'search', 'suggest'));
