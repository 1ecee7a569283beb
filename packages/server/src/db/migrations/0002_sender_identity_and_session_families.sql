-- Messages: the resend key is the sender's identity. Visitor messages always had their visitor
-- as sender_id; any that did not get it from their conversation, so that the new key covers them.
UPDATE "messages" AS m SET "sender_id" = c."visitor_id" FROM "conversations" AS c
  WHERE m."conversation_id" = c."id" AND m."sender" = 'visitor' AND m."sender_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_conversation_sender_id_client_key" ON "messages" USING btree ("conversation_id","sender_id","client_id");--> statement-breakpoint
DROP INDEX "messages_conversation_sender_client_key";--> statement-breakpoint
-- Sessions: each existing refresh token starts a family of its own.
ALTER TABLE "sessions" ADD COLUMN "family_id" uuid;--> statement-breakpoint
UPDATE "sessions" SET "family_id" = "id";--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "family_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "ended_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "sessions_family_id_idx" ON "sessions" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "sessions_ended_at_idx" ON "sessions" USING btree ("ended_at");
