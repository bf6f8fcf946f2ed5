-- 0011: the members of each cluster in a year as the State released them (its yearly census).
-- Firm figures over a cluster's members count these rows, not the membership rows that a
-- cluster writes: adding or removing a member then moves no published aggregate until the State
-- releases the year (docs/secrecy.md, section 6). Existing stores get the census of every year
-- their memberships cover, as their figures were computed until now.

CREATE TABLE "member_census" (
  "year" BIGINT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "organisation_id" TEXT NOT NULL,
  PRIMARY KEY ("year", "cluster_id", "organisation_id"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id"),
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id")
);
CREATE INDEX "member_census_cluster_id_idx" ON "member_census" ("cluster_id");

WITH RECURSIVE "years" ("y") AS (
  SELECT 2004 UNION ALL SELECT "y" + 1 FROM "years" WHERE "y" < 2100
)
INSERT INTO "member_census" ("year", "cluster_id", "organisation_id")
SELECT DISTINCT "years"."y", "membership"."cluster_id", "membership"."organisation_id"
FROM "membership" JOIN "years"
  ON "years"."y" >= CAST(substr("membership"."start_date", 1, 4) AS BIGINT)
 AND ("membership"."end_date" IS NULL
      OR "years"."y" <= CAST(substr("membership"."end_date", 1, 4) AS BIGINT))
 AND "years"."y" <= {{current_year}};
