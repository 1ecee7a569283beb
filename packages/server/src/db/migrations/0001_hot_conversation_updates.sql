DROP INDEX "conversations_status_last_message_idx";--> statement-breakpoint
DROP INDEX "conversations_last_message_idx";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "last_message_minute" timestamp (0) with time zone DEFAULT date_trunc('minute', now()::timestamptz(3)) NOT NULL;--> statement-breakpoint
UPDATE "conversations" SET "last_message_minute" = date_trunc('minute', "last_message_at");--> statement-breakpoint
-- Room on each page for a row's next version, so that updates which change no indexed column
-- (most new messages: see schema.ts) stay on their page as HOT updates.
ALTER TABLE "conversations" SET (fillfactor = 80);--> statement-breakpoint
CREATE INDEX "conversations_status_last_message_minute_idx" ON "conversations" USING btree ("status","last_message_minute");--> statement-breakpoint
CREATE INDEX "conversations_last_message_minute_idx" ON "conversations" USING btree ("last_message_minute");