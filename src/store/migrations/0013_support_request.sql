-- 0013: support requests from the public portal (app/support.h): a firm, without an account,
-- describes a need; the request is routed to the cluster that fits, whose manager takes it,
-- answers and closes it; the firm follows it through a tracking link whose secret is kept here
-- only as a hash. Personal data (name, e-mail), deleted at delete_after (a year after the
-- request). Not registry data: writing here does not move the data version (an anonymous form
-- must not empty every cache).

CREATE TABLE "support_request" (
  "id" TEXT PRIMARY KEY,
  "tracking_hash" TEXT NOT NULL UNIQUE,
  "created_at" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "siren" TEXT NOT NULL,
  "email" TEXT NOT NULL,
  "need" TEXT NOT NULL,
  "theme" TEXT,
  "region" TEXT NOT NULL,
  "cluster_id" TEXT,
  "status" TEXT NOT NULL,
  "taken_at" TEXT,
  "answered_at" TEXT,
  "closed_at" TEXT,
  "answer" TEXT,
  "handled_by" TEXT,
  "delete_after" TEXT NOT NULL
);
CREATE INDEX "support_request_cluster" ON "support_request" ("cluster_id", "status");
CREATE INDEX "support_request_delete_after" ON "support_request" ("delete_after");
