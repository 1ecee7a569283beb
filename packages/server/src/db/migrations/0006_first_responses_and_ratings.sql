ALTER TABLE "conversations" ADD COLUMN "first_visitor_message_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_responder_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "rated_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_first_responder_id_users_id_fk" FOREIGN KEY ("first_responder_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_rated_at_idx" ON "conversations" USING btree ("rated_at") WHERE "conversations"."rating" is not null;--> statement-breakpoint
-- The first responses again, as the message path keeps them from now on: the first agent text
-- after the visitor first wrote, and who wrote it. (Until now an agent's opening message of a
-- chat they started counted, and the reports credited the assignee.) One pass over the
-- conversations, two index lookups each.
WITH firsts AS (
  SELECT c.id, v.at AS visitor_at, r.at AS response_at, r.responder
  FROM conversations c
  LEFT JOIN LATERAL (
    SELECT m.created_at AS at, m.seq FROM messages m
    WHERE m.conversation_id = c.id AND m.sender = 'visitor'
    ORDER BY m.seq LIMIT 1
  ) v ON true
  LEFT JOIN LATERAL (
    SELECT m.created_at AS at, u.id AS responder FROM messages m
    LEFT JOIN users u ON u.id = m.sender_id
    WHERE m.conversation_id = c.id AND m.sender = 'agent' AND m.type = 'text' AND m.seq > v.seq
    ORDER BY m.seq LIMIT 1
  ) r ON true
)
UPDATE conversations c
SET first_visitor_message_at = f.visitor_at, first_response_at = f.response_at,
  first_responder_id = f.responder
FROM firsts f WHERE f.id = c.id;--> statement-breakpoint
-- When a rating was given was not kept: the chat's close (or last message) stands in for it.
UPDATE conversations SET rated_at = coalesce(closed_at, last_message_at) WHERE rating IS NOT NULL;
