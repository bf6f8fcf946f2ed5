-- 0017: programmes and funders become reference tables (issue #20 item 4) instead of a fixed list
-- of nine codes, and a project's public aid is split by funder so that each co-funder (the State,
-- Bpifrance, a Region, the FEDER it manages, the EU…) reads its own money. The seeded rows are
-- the programmes and funders the clusters meet; the State adds others (POST /api/v1/programme).
-- project.programme and call.programme name a programme: the application checks them on every
-- write and refuses to delete a programme in use (SQLite cannot add a foreign key to a column).

CREATE TABLE "funder" (
  "id" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "name_en" TEXT,
  "kind" TEXT NOT NULL,
  "region" TEXT,
  PRIMARY KEY ("id")
);

CREATE TABLE "programme" (
  "code" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "name_en" TEXT,
  "scope" TEXT NOT NULL,
  "funder_id" TEXT,
  PRIMARY KEY ("code"),
  FOREIGN KEY ("funder_id") REFERENCES "funder" ("id")
);
CREATE INDEX "programme_funder_id_idx" ON "programme" ("funder_id");

CREATE TABLE "project_funding" (
  "project_id" TEXT NOT NULL,
  "funder_id" TEXT NOT NULL,
  "amount" DOUBLE PRECISION NOT NULL,
  "instrument" TEXT,
  PRIMARY KEY ("project_id", "funder_id"),
  FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("funder_id") REFERENCES "funder" ("id")
);
CREATE INDEX "project_funding_funder_id_idx" ON "project_funding" ("funder_id");

INSERT INTO "funder" ("id", "name", "name_en", "kind", "region") VALUES
  ('state', 'État (DGE, FUI, France 2030)', 'French State (DGE, FUI, France 2030)', 'state', NULL),
  ('bpifrance', 'Bpifrance', 'Bpifrance', 'bpifrance', NULL),
  ('anr', 'Agence nationale de la recherche (ANR)', 'French National Research Agency (ANR)', 'anr', NULL),
  ('ademe', 'ADEME', 'ADEME (ecological transition agency)', 'ademe', NULL),
  ('eu', 'Union européenne (Commission, agences exécutives)', 'European Union (Commission, executive agencies)', 'eu', NULL),
  ('local', 'Collectivités locales (départements, intercommunalités, communes)', 'Local authorities (departments, inter-municipal bodies, municipalities)', 'local_authority', NULL),
  ('other', 'Autre financeur public', 'Other public funder', 'other', NULL),
  ('region-01', 'Région Guadeloupe', 'Guadeloupe Region', 'region', '01'),
  ('region-02', 'Collectivité territoriale de Martinique', 'Martinique (territorial authority)', 'region', '02'),
  ('region-03', 'Collectivité territoriale de Guyane', 'French Guiana (territorial authority)', 'region', '03'),
  ('region-04', 'Région Réunion', 'Réunion Region', 'region', '04'),
  ('region-06', 'Département de Mayotte', 'Mayotte (department)', 'region', '06'),
  ('region-11', 'Région Île-de-France', 'Île-de-France Region', 'region', '11'),
  ('region-24', 'Région Centre-Val de Loire', 'Centre-Val de Loire Region', 'region', '24'),
  ('region-27', 'Région Bourgogne-Franche-Comté', 'Bourgogne-Franche-Comté Region', 'region', '27'),
  ('region-28', 'Région Normandie', 'Normandy Region', 'region', '28'),
  ('region-32', 'Région Hauts-de-France', 'Hauts-de-France Region', 'region', '32'),
  ('region-44', 'Région Grand Est', 'Grand Est Region', 'region', '44'),
  ('region-52', 'Région Pays de la Loire', 'Pays de la Loire Region', 'region', '52'),
  ('region-53', 'Région Bretagne', 'Brittany Region', 'region', '53'),
  ('region-75', 'Région Nouvelle-Aquitaine', 'Nouvelle-Aquitaine Region', 'region', '75'),
  ('region-76', 'Région Occitanie', 'Occitanie Region', 'region', '76'),
  ('region-84', 'Région Auvergne-Rhône-Alpes', 'Auvergne-Rhône-Alpes Region', 'region', '84'),
  ('region-93', 'Région Provence-Alpes-Côte d''Azur', 'Provence-Alpes-Côte d''Azur Region', 'region', '93'),
  ('region-94', 'Collectivité de Corse', 'Corsica (territorial authority)', 'region', '94'),
  ('feder-01', 'FEDER — programme régional Guadeloupe', 'ERDF — regional programme Guadeloupe', 'feder', '01'),
  ('feder-02', 'FEDER — programme régional Martinique', 'ERDF — regional programme Martinique', 'feder', '02'),
  ('feder-03', 'FEDER — programme régional Guyane', 'ERDF — regional programme French Guiana', 'feder', '03'),
  ('feder-04', 'FEDER — programme régional La Réunion', 'ERDF — regional programme Réunion', 'feder', '04'),
  ('feder-06', 'FEDER — programme régional Mayotte', 'ERDF — regional programme Mayotte', 'feder', '06'),
  ('feder-11', 'FEDER — programme régional Île-de-France', 'ERDF — regional programme Île-de-France', 'feder', '11'),
  ('feder-24', 'FEDER — programme régional Centre-Val de Loire', 'ERDF — regional programme Centre-Val de Loire', 'feder', '24'),
  ('feder-27', 'FEDER — programme régional Bourgogne-Franche-Comté', 'ERDF — regional programme Bourgogne-Franche-Comté', 'feder', '27'),
  ('feder-28', 'FEDER — programme régional Normandie', 'ERDF — regional programme Normandy', 'feder', '28'),
  ('feder-32', 'FEDER — programme régional Hauts-de-France', 'ERDF — regional programme Hauts-de-France', 'feder', '32'),
  ('feder-44', 'FEDER — programme régional Grand Est', 'ERDF — regional programme Grand Est', 'feder', '44'),
  ('feder-52', 'FEDER — programme régional Pays de la Loire', 'ERDF — regional programme Pays de la Loire', 'feder', '52'),
  ('feder-53', 'FEDER — programme régional Bretagne', 'ERDF — regional programme Brittany', 'feder', '53'),
  ('feder-75', 'FEDER — programme régional Nouvelle-Aquitaine', 'ERDF — regional programme Nouvelle-Aquitaine', 'feder', '75'),
  ('feder-76', 'FEDER — programme régional Occitanie', 'ERDF — regional programme Occitanie', 'feder', '76'),
  ('feder-84', 'FEDER — programme régional Auvergne-Rhône-Alpes', 'ERDF — regional programme Auvergne-Rhône-Alpes', 'feder', '84'),
  ('feder-93', 'FEDER — programme régional Provence-Alpes-Côte d''Azur', 'ERDF — regional programme Provence-Alpes-Côte d''Azur', 'feder', '93'),
  ('feder-94', 'FEDER — programme régional Corse', 'ERDF — regional programme Corsica', 'feder', '94');

INSERT INTO "programme" ("code", "name", "name_en", "scope", "funder_id") VALUES
  ('FP7', '7e programme-cadre de recherche de l''UE (2007-2013)', 'EU 7th Framework Programme (2007-2013)', 'european', 'eu'),
  ('H2020', 'Horizon 2020 (2014-2020)', 'Horizon 2020 (2014-2020)', 'european', 'eu'),
  ('HORIZON_EUROPE', 'Horizon Europe (2021-2027)', 'Horizon Europe (2021-2027)', 'european', 'eu'),
  ('EIC', 'Conseil européen de l''innovation (EIC)', 'European Innovation Council (EIC)', 'european', 'eu'),
  ('EUROSTARS', 'Eurostars / EUREKA', 'Eurostars / EUREKA', 'european', 'eu'),
  ('INTERREG', 'Interreg (coopération territoriale européenne)', 'Interreg (European territorial cooperation)', 'european', 'eu'),
  ('SMP_COSME', 'COSME / Programme pour le marché unique (Euroclusters)', 'COSME / Single Market Programme (Euroclusters)', 'european', 'eu'),
  ('DIGITAL_EUROPE', 'Programme pour une Europe numérique', 'Digital Europe Programme', 'european', 'eu'),
  ('LIFE', 'LIFE (environnement et action pour le climat)', 'LIFE (environment and climate action)', 'european', 'eu'),
  ('FUI', 'Fonds unique interministériel (FUI)', 'Single Interministerial Fund (FUI)', 'national', 'state'),
  ('PSPC', 'Projets structurants pour la compétitivité (PSPC)', 'Structuring projects for competitiveness (PSPC)', 'national', 'bpifrance'),
  ('ANR', 'Agence nationale de la recherche (ANR)', 'French National Research Agency (ANR)', 'national', 'anr'),
  ('BPI', 'Aides à l''innovation de Bpifrance', 'Bpifrance innovation aid', 'national', 'bpifrance'),
  ('I_NOV', 'Concours d''innovation i-Nov', 'i-Nov innovation contest', 'national', 'bpifrance'),
  ('PIA', 'France 2030 / Programme d''investissements d''avenir (PIA)', 'France 2030 / Investments for the Future (PIA)', 'national', 'state'),
  ('ADEME', 'Appels à projets de l''ADEME', 'ADEME calls for projects', 'national', 'ademe'),
  ('REGION', 'Aide d''une Région', 'Regional aid', 'regional', NULL),
  ('FEDER', 'Fonds européen de développement régional (FEDER)', 'European Regional Development Fund (ERDF)', 'regional', NULL),
  ('LOCAL', 'Aide d''une collectivité locale', 'Local authority aid', 'regional', 'local'),
  ('OTHER', 'Autre programme', 'Other programme', 'other', NULL);
