-- 0005: the budget of each cluster organisation per year (total, public and private funding, staff).

CREATE TABLE "cluster_budget" (
  "cluster_id" TEXT NOT NULL,
  "year" BIGINT NOT NULL,
  "total" DOUBLE PRECISION NOT NULL,
  "public" DOUBLE PRECISION,
  "private" DOUBLE PRECISION,
  "staff" DOUBLE PRECISION,
  PRIMARY KEY ("cluster_id", "year"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);
