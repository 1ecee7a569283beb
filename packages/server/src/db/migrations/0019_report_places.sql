CREATE TABLE "message_place_days" (
	"day" date NOT NULL,
	"site_id" uuid NOT NULL,
	"team_id" uuid,
	"agent_id" uuid,
	"messages" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_response_business_seconds" double precision;--> statement-breakpoint
ALTER TABLE "message_days" ADD COLUMN "by_place" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Where no hours apply (every chat from before teams and sites had them), the first response
-- within business hours is the first response; the reports count the others as they come.
UPDATE "conversations" SET "first_response_business_seconds" =
    extract(epoch from "first_response_at" - "first_visitor_message_at")
  WHERE "first_response_at" IS NOT NULL AND "team_id" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "sites" s WHERE s."id" = "site_id" AND s."schedule" IS NOT NULL);--> statement-breakpoint
-- The days rolled up so far have no places (by_place is false): the next report rolls them up
-- again, with them.
ALTER TABLE "message_place_days" ADD CONSTRAINT "message_place_days_day_message_days_day_fk" FOREIGN KEY ("day") REFERENCES "public"."message_days"("day") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_place_days_day_site_idx" ON "message_place_days" USING btree ("day","site_id");--> statement-breakpoint
CREATE INDEX "conversations_business_response_idx" ON "conversations" USING btree ("first_response_business_seconds","created_at") WHERE "conversations"."first_response_business_seconds" is not null;--> statement-breakpoint
CREATE INDEX "conversations_business_response_due_idx" ON "conversations" USING btree ("created_at") WHERE "conversations"."first_response_at" is not null and "conversations"."first_response_business_seconds" is null;