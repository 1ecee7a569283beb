-- Tags are filtered on (the list's `tag`) and found by search as a visitor's name is. The
-- document is the tags as words: array_to_string is only stable in general, but for text[]
-- it depends on nothing but its argument, so this is immutable and may be indexed.
CREATE FUNCTION parley_tags_document(text[]) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN parley_search_document(array_to_string($1, ' '));--> statement-breakpoint
CREATE INDEX "conversations_tags_idx" ON "conversations" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "conversations_tags_search_idx" ON "conversations" USING gin (parley_tags_document("tags"));
