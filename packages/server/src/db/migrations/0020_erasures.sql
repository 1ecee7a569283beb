CREATE TABLE "erasures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visitor_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"erased_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"erased_by_id" uuid,
	"erased_by_name" text NOT NULL,
	"token_id" uuid,
	"counts" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "erasures" ADD CONSTRAINT "erasures_erased_by_id_users_id_fk" FOREIGN KEY ("erased_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erasures_visitor_id_idx" ON "erasures" USING btree ("visitor_id");--> statement-breakpoint
CREATE INDEX "erasures_erased_by_id_idx" ON "erasures" USING btree ("erased_by_id");