-- Issue 32: the delivery log shows each attempt (time, status or error, duration, the start of
-- the answer), and an admin may resend a delivered event: a new delivery of the same event, so
-- the event's time is kept apart from the row's, and one event is pending at most once per
-- endpoint. "Retry now" no longer sets a delivery's attempts back to 0: they go on counting, and
-- the retry policy counts a new round from attempts_before_retry (0 for every delivery so far,
-- whose attempts count the round they are in). A delivery made before kept only its last
-- attempt: that one becomes an attempt row numbered as it was (its time known only when it was
-- delivered), and the log says the earlier ones were not kept.
CREATE TABLE "webhook_delivery_attempts" (
	"delivery_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"response_status" integer,
	"latency_ms" integer NOT NULL,
	"error" text,
	"answer" text,
	CONSTRAINT "webhook_delivery_attempts_delivery_id_n_pk" PRIMARY KEY("delivery_id","n")
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "attempts_before_retry" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "event_created_at" timestamp (3) with time zone;--> statement-breakpoint
UPDATE "webhook_deliveries" SET "event_created_at" = "created_at";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ALTER COLUMN "event_created_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "resend_of" uuid;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_pending_event_key" ON "webhook_deliveries" USING btree ("endpoint_id","event_id") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
-- The last attempt, where one was recorded (a latency). "HTTP 500: <answer>" is split into the
-- status's words and the answer; a delivery failed because its endpoint was turned off no longer
-- has its attempt's error, so it gets no row.
INSERT INTO "webhook_delivery_attempts" ("delivery_id", "n", "sent_at", "response_status", "latency_ms", "error", "answer")
SELECT "id",
       greatest("attempts", 1),
       CASE WHEN "status" = 'delivered' THEN "delivered_at" - make_interval(secs => "latency_ms" / 1000.0) END,
       "response_status",
       "latency_ms",
       CASE WHEN "error" ~ '^HTTP [0-9]+: ' AND "error" !~ '^HTTP [0-9]+: redirects are not followed'
            THEN substring("error" from '^(HTTP [0-9]+): ') ELSE "error" END,
       CASE WHEN "error" ~ '^HTTP [0-9]+: ' AND "error" !~ '^HTTP [0-9]+: redirects are not followed'
            THEN substring("error" from '^HTTP [0-9]+: (.*)$') END
FROM "webhook_deliveries"
WHERE "latency_ms" IS NOT NULL AND "error" IS DISTINCT FROM 'Not sent: the endpoint is turned off';
