CREATE TABLE "site_teams" (
	"site_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "site_teams_site_id_team_id_pk" PRIMARY KEY("site_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"widget" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"department_choice" boolean DEFAULT false NOT NULL,
	"schedule" jsonb,
	"email_sender_name" text,
	"bot_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Today's one website becomes the default site, with the widget settings it had. A snippet
-- without a site key reaches it, and rows written without a site belong to it. The settings'
-- own row stays, unread from now on: an instance of the older version still reads it during a
-- rolling upgrade.
INSERT INTO "sites" ("key", "name", "is_default", "widget")
  VALUES ('default', 'Website', true, coalesce((SELECT "value" FROM "settings" WHERE "key" = 'widget'), '{}'::jsonb));--> statement-breakpoint
CREATE FUNCTION parley_default_site() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT "id" FROM "sites" WHERE "is_default" $$;--> statement-breakpoint
DROP INDEX "visitors_external_id_key";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "site_id" uuid DEFAULT parley_default_site() NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "site_id" uuid DEFAULT parley_default_site() NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "bot_id" uuid;--> statement-breakpoint
ALTER TABLE "site_teams" ADD CONSTRAINT "site_teams_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_teams" ADD CONSTRAINT "site_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_bot_id_users_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "site_teams_team_id_idx" ON "site_teams" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sites_key_key" ON "sites" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "sites_one_default" ON "sites" USING btree ("is_default") WHERE "sites"."is_default";--> statement-breakpoint
CREATE INDEX "sites_bot_id_idx" ON "sites" USING btree ("bot_id");--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_bot_id_users_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_site_id_idx" ON "conversations" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_team_id_idx" ON "conversations" USING btree ("team_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "visitors_site_external_id_key" ON "visitors" USING btree ("site_id","external_id") WHERE "visitors"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "visitors_site_id_idx" ON "visitors" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "teams_bot_id_idx" ON "teams" USING btree ("bot_id");