-- Issue 32: who sent a reply by email (messages.email_from), the address a visitor has shown
-- they own (visitors.confirmed_email), and the codes that show it (email_confirmations).
CREATE TABLE "email_confirmations" (
	"visitor_id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "email_from" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "confirmed_email" text;--> statement-breakpoint
ALTER TABLE "email_confirmations" ADD CONSTRAINT "email_confirmations_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE cascade ON UPDATE no action;