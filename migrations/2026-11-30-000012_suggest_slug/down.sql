ALTER TABLE resources DROP CONSTRAINT resources_slug_check;
ALTER TABLE resources ADD CONSTRAINT resources_slug_check
    CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND slug NOT IN ('spotlight', 'changes', 'export', 'feed', 'facets', 'search'));
