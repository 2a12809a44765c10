-- The Social Mission Resource Library: four vocabularies, resources, their links and slugs.

-- Every value of the four vocabularies. Slugs are stable; labels, descriptions and order are editable.
CREATE TABLE vocabulary_terms (
    id          serial PRIMARY KEY,
    vocabulary  text NOT NULL CHECK (vocabulary IN ('type', 'domain', 'topic', 'profession')),
    slug        text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 80),
    label       text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 120),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    position    integer NOT NULL,
    retired_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (vocabulary, slug),
    -- Lets a foreign key demand a term of one vocabulary.
    UNIQUE (id, vocabulary)
);

CREATE TABLE resources (
    id                  uuid PRIMARY KEY,
    -- Reserved words are paths under /resources/, never slugs.
    slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND slug NOT IN ('spotlight', 'changes', 'export', 'feed', 'facets', 'search')),
    title               text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 300),
    summary             text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 2000),
    url                 text CHECK (url ~ '^https?://'),
    resource_type_id    integer NOT NULL,
    resource_type_vocab text NOT NULL DEFAULT 'type' CHECK (resource_type_vocab = 'type'),
    year                integer CHECK (year BETWEEN 1900 AND 2200),
    authors             text[] NOT NULL DEFAULT '{}',
    source              text CHECK (char_length(source) <= 300),
    doi                 text CHECK (doi ~ '^10\.\d{4,9}/\S+$'),
    open_access         boolean NOT NULL DEFAULT false,
    status              text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    is_spotlight        boolean NOT NULL DEFAULT false,
    published_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- Title weighs most, then authors and source, then the summary (maintained by the trigger below,
    -- since array_to_string is not immutable and so cannot feed a generated column).
    search              tsvector NOT NULL DEFAULT ''::tsvector,
    FOREIGN KEY (resource_type_id, resource_type_vocab) REFERENCES vocabulary_terms (id, vocabulary),
    CHECK (status <> 'published' OR published_at IS NOT NULL),
    CHECK (NOT is_spotlight OR status = 'published')
);
-- At most one spotlight.
CREATE UNIQUE INDEX resources_one_spotlight ON resources (is_spotlight) WHERE is_spotlight;
CREATE INDEX resources_published_newest ON resources (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX resources_search ON resources USING gin (search);
CREATE INDEX resources_type ON resources (resource_type_id);

CREATE FUNCTION resources_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search :=
        setweight(to_tsvector('english', NEW.title), 'A') ||
        setweight(to_tsvector('english', array_to_string(NEW.authors, ' ') || ' ' || coalesce(NEW.source, '')), 'B') ||
        setweight(to_tsvector('english', NEW.summary), 'C');
    RETURN NEW;
END $$;
CREATE TRIGGER resources_search_vector BEFORE INSERT OR UPDATE OF title, authors, source, summary ON resources
    FOR EACH ROW EXECUTE FUNCTION resources_search_vector();

-- Domains, topics and professions of a resource (the type is a column).
CREATE TABLE resource_terms (
    resource_id uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    term_id     integer NOT NULL REFERENCES vocabulary_terms (id),
    PRIMARY KEY (resource_id, term_id)
);
CREATE INDEX resource_terms_term ON resource_terms (term_id, resource_id);

-- Every slug a resource has had, so links made before a retitle still resolve.
CREATE TABLE resource_slugs (
    slug        text PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resource_slugs_resource ON resource_slugs (resource_id);
