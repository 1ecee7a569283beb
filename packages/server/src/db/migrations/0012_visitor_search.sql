-- A visitor is found by their name, email, the site's id for them and their attributes' values
-- (issue 19: setCustomAttributes is searchable). One function, so that the index and the queries
-- (db/search.ts) spell the document identically.
CREATE FUNCTION parley_visitor_document(name text, email text, external_id text, attributes jsonb)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN parley_search_document(concat_ws(' ', name, email, external_id,
    (SELECT string_agg(value, ' ') FROM jsonb_each_text(attributes))));--> statement-breakpoint
DROP INDEX "visitors_search_idx";--> statement-breakpoint
CREATE INDEX "visitors_search_idx" ON "visitors" USING gin (parley_visitor_document("name", "email", "external_id", "attributes"));
