-- 0020: the State's decision on a cluster after a published evaluation, and its follow-up
-- (issue #23 item 6, app/decisions.h). The State records, per cluster and published year, the
-- action it decided (a level of the ladder, its text, a deadline, who follows it, documents);
-- the criteria and contract targets that triggered it are copied from the published
-- evaluation; the cluster's manager answers; the next published evaluation says whether they
-- improved (computed when read, never stored).

CREATE TABLE "evaluation_decision" (
  "year" BIGINT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "proposed_level" BIGINT NOT NULL,
  "level" BIGINT NOT NULL,
  "text" TEXT NOT NULL,
  "deadline" TEXT NOT NULL,
  "owner" TEXT NOT NULL,
  "documents" TEXT NOT NULL,
  "triggers" TEXT NOT NULL,
  "decided_by" TEXT NOT NULL,
  "decided_at" TEXT NOT NULL,
  "answer" TEXT,
  "answered_by" TEXT,
  "answered_at" TEXT,
  PRIMARY KEY ("year", "cluster_id"),
  FOREIGN KEY ("year") REFERENCES "evaluation_publication" ("year") ON DELETE CASCADE,
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id") ON DELETE CASCADE
);
CREATE INDEX "evaluation_decision_cluster_idx" ON "evaluation_decision" ("cluster_id");
