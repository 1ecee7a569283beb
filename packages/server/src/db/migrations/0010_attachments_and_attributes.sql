CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"uploader_kind" text NOT NULL,
	"uploader_id" uuid NOT NULL,
	"conversation_id" uuid,
	"message_id" uuid,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"storage_key" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "attributes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_conversation_idx" ON "attachments" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "attachments_unattached_idx" ON "attachments" USING btree ("created_at") WHERE "attachments"."message_id" is null;--> statement-breakpoint
-- However an attachment's row goes (its conversation or visitor deleted, an unattached upload
-- swept), the bytes in storage go too: a job to delete them is queued in the same transaction.
CREATE FUNCTION parley_attachment_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO jobs (id, kind, payload, max_attempts)
  VALUES (gen_random_uuid(), 'delete-file', jsonb_build_object('storageKey', OLD.storage_key), 8);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER attachments_deleted AFTER DELETE ON attachments
  FOR EACH ROW EXECUTE FUNCTION parley_attachment_deleted();
