-- 0010: requests to the owner of a row (app/requests.h): a cluster asks to co-label a project
-- that another cluster owns, or proposes changes to a member organisation's master data. The
-- decider (the project's owner; the organisation's member account or the State) accepts, which
-- writes the row as the decider, or refuses. Not registry data: writing here does not move the
-- data version.

CREATE TABLE "change_request" (
  "id" TEXT PRIMARY KEY,
  "kind" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "target" TEXT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "label_date" TEXT,
  "changes" TEXT NOT NULL,
  "comment" TEXT,
  "requested_by" TEXT NOT NULL,
  "requested_at" TEXT NOT NULL,
  "decided_by" TEXT,
  "decided_at" TEXT,
  "answer" TEXT,
  "decided_role" TEXT,
  "decided_scope" TEXT
);
CREATE INDEX "change_request_target" ON "change_request" ("kind", "target", "cluster_id", "status");
