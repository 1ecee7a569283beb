-- API tokens may expire (issue 36): when each stops working by itself; null, until revoked.
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp (3) with time zone;