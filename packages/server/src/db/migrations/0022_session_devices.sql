-- Signed-in devices (issue 36): the address each refresh token was issued to, beside its user agent.
ALTER TABLE "sessions" ADD COLUMN "ip" text;