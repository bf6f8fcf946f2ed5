-- 0004: reviewers assigned to proposals (saved from the optimised assignment, or imported).
-- A reviewer sees and reviews only the proposals assigned to them.

CREATE TABLE "assignment" (
  "proposal_id" TEXT NOT NULL,
  "reviewer_id" TEXT NOT NULL,
  "affinity" DOUBLE PRECISION,
  "date" TEXT,
  PRIMARY KEY ("proposal_id", "reviewer_id"),
  FOREIGN KEY ("proposal_id") REFERENCES "proposal" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("reviewer_id") REFERENCES "reviewer" ("id")
);
CREATE INDEX "assignment_reviewer_id_idx" ON "assignment" ("reviewer_id");
