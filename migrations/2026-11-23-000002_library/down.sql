DROP TABLE resource_slugs;
DROP TABLE resource_terms;
DROP TABLE resources;
DROP FUNCTION resources_search_vector();
DROP TABLE vocabulary_terms;
