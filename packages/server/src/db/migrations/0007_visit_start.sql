-- When each visitor's current visit began (the Visitors page's "On site"). Visits before this
-- were not kept: each begins at its visitor's last sighting.
ALTER TABLE "visitors" ADD COLUMN "visit_started_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "visitors" SET "visit_started_at" = "last_seen_at";
