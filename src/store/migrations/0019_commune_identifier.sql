-- 0019: reference geography and identity (issue #20 item 6). "commune": INSEE's official
-- geographic code (COG) with La Poste's postcodes and the zone d'emploi of each commune, against
-- which commune codes are checked and from which an organisation's commune and zone are found.
-- "organisation_identifier": the identifiers an organisation is known by in other files (SIREN,
-- VAT, PIC, RNA, a directory's own key, the ids a merge dropped), so that an import finds it.

CREATE TABLE "commune" (
  "code" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "parent" TEXT,
  "department" TEXT,
  "region" TEXT,
  "postcodes" TEXT,
  "employment_zone" TEXT,
  "population" BIGINT,
  "former_names" TEXT,
  "former_codes" TEXT,
  PRIMARY KEY ("code")
);
-- A form's organisation reads the communes of its département (import/places.h).
CREATE INDEX "commune_department_idx" ON "commune" ("department");

CREATE TABLE "organisation_identifier" (
  "scheme" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "organisation_id" TEXT NOT NULL,
  "source" TEXT,
  PRIMARY KEY ("scheme", "value"),
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id") ON DELETE CASCADE
);
CREATE INDEX "organisation_identifier_organisation_id_idx" ON "organisation_identifier" ("organisation_id");
