-- 0008: bearer tokens get a public id, by which their owner and the administrators list and
-- revoke them (the secret is shown once, at creation), and the time of their last use.

ALTER TABLE "api_token" ADD COLUMN "id" TEXT;
ALTER TABLE "api_token" ADD COLUMN "last_used_at" TEXT;
UPDATE "api_token" SET "id" = substr("token_hash", 1, 16) WHERE "id" IS NULL;
CREATE UNIQUE INDEX "api_token_id_idx" ON "api_token" ("id");
