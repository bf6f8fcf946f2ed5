-- 0015: entity resolution to SIREN (import/resolve.h). `sirene_unit` is INSEE's reference of
-- legal units (StockUniteLegale, without natural persons or units closed to publication), with
-- the head office's postcode and commune; `siren_match` holds, for each organisation without
-- SIREN, the last outcome of the matching (its candidates with their scores and reasons) or a
-- person's decision (decided_by set), which later runs keep. Reference and working tables, not
-- registry data: writing here does not move the data version (setting an organisation's SIREN
-- does, through the organisation).

CREATE TABLE "sirene_unit" (
  "siren" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "acronym" TEXT,
  "naf" TEXT,
  "created" INTEGER,
  "category" TEXT,
  "category_year" INTEGER,
  "size_band" TEXT,
  "size_band_year" INTEGER,
  "active" INTEGER NOT NULL,
  "postcode" TEXT,
  "commune" TEXT
);

CREATE TABLE "siren_match" (
  "organisation_id" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "siren" TEXT,
  "score" DOUBLE PRECISION,
  "duplicate_of" TEXT,
  "candidates" TEXT NOT NULL,
  "decided_by" TEXT,
  "decided_at" TEXT NOT NULL
);
CREATE INDEX "siren_match_status" ON "siren_match" ("status");
