-- Daily roll-ups of messages for the reports (db/analytics.ts): a report over a year reads one
-- row per day instead of counting every message again.
CREATE TABLE "agent_reply_days" (
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"replies" integer NOT NULL,
	CONSTRAINT "agent_reply_days_day_agent_id_pk" PRIMARY KEY("day","agent_id")
);
--> statement-breakpoint
CREATE TABLE "message_days" (
	"day" date PRIMARY KEY NOT NULL,
	"messages" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_reply_days" ADD CONSTRAINT "agent_reply_days_day_message_days_day_fk" FOREIGN KEY ("day") REFERENCES "public"."message_days"("day") ON DELETE cascade ON UPDATE no action;