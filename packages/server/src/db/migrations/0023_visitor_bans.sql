CREATE TABLE "visitor_bans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visitor_id" uuid,
	"address" "inet",
	"reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone,
	CONSTRAINT "visitor_bans_target" CHECK ("visitor_bans"."visitor_id" is not null or "visitor_bans"."address" is not null)
);
--> statement-breakpoint
ALTER TABLE "visitor_bans" ADD CONSTRAINT "visitor_bans_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_bans" ADD CONSTRAINT "visitor_bans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "visitor_bans_visitor_idx" ON "visitor_bans" USING btree ("visitor_id");