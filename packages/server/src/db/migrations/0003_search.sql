-- Search (db/search.ts). A message is found by the words of its text in any order, each word
-- as a prefix; accents and case do not matter, and `INV-12345` or `dora@example.com` are found
-- as the runs of words they are. No stemming: chats come in every language.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
-- The simple configuration (lowercase, no stop words) with accents stripped first. Only the
-- token types that can hold a non-ASCII letter go through unaccent: the others need not.
CREATE TEXT SEARCH CONFIGURATION parley_search (COPY = pg_catalog.simple);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION parley_search
  ALTER MAPPING FOR word, numword, hword, hword_part, numhword WITH unaccent, simple;--> statement-breakpoint
-- The marks that make the default parser build compound tokens become spaces first: it would
-- keep `dora@example.com` as one email token, `shop.example.com/orders` as a host and a path,
-- and read `INV-12345` as `inv` and `-12345`. As plain words they match what is typed, prefix
-- by prefix (`dora@exa` is `dora` then `exa…`; `12345` finds `INV-12345`). Other marks already
-- separate words. Chained replace() costs a fraction of a microsecond a message, where
-- translate() over all punctuation cost more than the parsing itself.
-- A SQL-standard body is bound at creation (search_path does not matter later) and inlined.
CREATE FUNCTION parley_search_document(text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_tsvector('parley_search'::regconfig,
    replace(replace(replace(replace(replace(replace($1,
      '@', ' '), '.', ' '), '/', ' '), ':', ' '), '-', ' '), '_', ' '));--> statement-breakpoint
-- Computed by each insert (once; the index reads the column). On a database with history
-- already, this rewrites the messages table once, at the upgrade's start-up.
ALTER TABLE "messages" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (parley_search_document(content)) STORED;--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search_vector") WHERE "messages"."type" <> 'system';--> statement-breakpoint
CREATE INDEX "visitors_search_idx" ON "visitors" USING gin (parley_search_document(coalesce("name", '') || ' ' || coalesce("email", '')));