-- 0002: accounts, sessions, bearer tokens and the audit log of every write.

CREATE TABLE "app_user" (
  "name" TEXT PRIMARY KEY,
  "password_hash" TEXT NOT NULL,
  "role" TEXT NOT NULL,
  "scope" TEXT,
  "disabled" BIGINT NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL
);

CREATE TABLE "api_token" (
  "token_hash" TEXT PRIMARY KEY,
  "user_name" TEXT NOT NULL REFERENCES "app_user" ("name") ON DELETE CASCADE,
  "label" TEXT,
  "created_at" TEXT NOT NULL,
  "expires_at" TEXT
);

CREATE TABLE "session" (
  "token_hash" TEXT PRIMARY KEY,
  "user_name" TEXT NOT NULL REFERENCES "app_user" ("name") ON DELETE CASCADE,
  "csrf" TEXT NOT NULL,
  "created_at" TEXT NOT NULL,
  "expires_at" TEXT NOT NULL
);

CREATE TABLE "audit" (
  "id" {{serial_pk}},
  "at" TEXT NOT NULL,
  "actor" TEXT NOT NULL,
  "action" TEXT NOT NULL,
  "entity" TEXT,
  "key" TEXT,
  "before" TEXT,
  "after" TEXT
);
CREATE INDEX "audit_entity_idx" ON "audit" ("entity", "key");
