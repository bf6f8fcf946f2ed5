-- 0018: national figures of the catalogue's indicators (issue #20 item 7), as the State publishes
-- them (the median or mean over the labelled clusters), so that a store holding one
-- cluster reads that cluster beside the national figure (its trends, its report).

CREATE TABLE "national_figure" (
  "indicator" TEXT NOT NULL,
  "year" BIGINT NOT NULL,
  "statistic" TEXT NOT NULL,
  "value" DOUBLE PRECISION NOT NULL,
  "source" TEXT,
  PRIMARY KEY ("indicator", "year")
);
