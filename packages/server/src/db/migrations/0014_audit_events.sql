-- Issue 32: revealing a secret (the identity secret, a webhook's signing secret) is recorded, with
-- who, when, from which address and through which token. The audit log of issue 36 grows from here.
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"token_id" uuid,
	"ip" text,
	"target_id" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_action_target_at_idx" ON "audit_events" USING btree ("action","target_id","at");