-- 0007: a year's evaluation published to the evaluated. Until a year has a row here its
-- evaluation is a draft that only the State and evaluators read; once published, each cluster
-- manager and region reads its clusters' results, frozen as they were computed at publication
-- (the evaluation and each cluster's report, on the data version of that day).

CREATE TABLE "evaluation_publication" (
  "year" BIGINT PRIMARY KEY,
  "data_version" BIGINT NOT NULL,
  "published_by" TEXT NOT NULL,
  "published_at" TEXT NOT NULL,
  "parameters" TEXT NOT NULL,
  "evaluation" TEXT NOT NULL
);

CREATE TABLE "evaluation_report" (
  "year" BIGINT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "lang" TEXT NOT NULL,
  "html" TEXT NOT NULL,
  PRIMARY KEY ("year", "cluster_id", "lang"),
  FOREIGN KEY ("year") REFERENCES "evaluation_publication" ("year") ON DELETE CASCADE
);

-- The server's secret, drawn once per database: ETags are keyed with it and list cursors
-- encrypted with keys derived from it (app/entities.h), so that neither can be recomputed or read
-- by a client. Kept with the data so that every server process of one database agrees.
INSERT INTO "meta" ("key", "value") VALUES ('server_secret', {{random_secret}});
