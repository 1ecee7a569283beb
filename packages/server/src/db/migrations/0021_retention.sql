-- Retention (issue 35): a conversation whose content expired keeps its figures for the reports
-- (expired_at set, in no list); an idle visitor with only such conversations is emptied of their
-- details. Addresses are looked up without case by erasure, export and a contact's other records.
ALTER TABLE "conversations" ADD COLUMN "expired_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "expired_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "conversations_retention_idx" ON "conversations" USING btree ("closed_at") WHERE "conversations"."closed_at" is not null and "conversations"."expired_at" is null;--> statement-breakpoint
CREATE INDEX "visitors_email_idx" ON "visitors" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "visitors_confirmed_email_idx" ON "visitors" USING btree (lower("confirmed_email"));--> statement-breakpoint
CREATE INDEX "visitors_idle_idx" ON "visitors" USING btree ("last_seen_at") WHERE "visitors"."expired_at" is null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_created_idx" ON "webhook_deliveries" USING btree ("created_at");