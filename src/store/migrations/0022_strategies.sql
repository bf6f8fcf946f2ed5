-- 0022: the strategies the clusters must be coherent with (issue #23 item 8, CESE
-- recommendation 11): the strategic filière committees and each Region's smart-specialisation
-- (S3) priority domains, as reference tables, and each cluster's S3 domains. The filières seeded
-- are the strategic filière committees (comités stratégiques de filière) of the Conseil national
-- de l'industrie; the State keeps the table (POST /api/v1/filiere). The Regions write their S3
-- domains; none is seeded (the demo writes made-up ones).

CREATE TABLE "filiere" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "name" TEXT NOT NULL,
  "name_en" TEXT
);

INSERT INTO "filiere" ("id", "name", "name_en") VALUES
  ('aeronautique', 'Aéronautique', 'Aeronautics'),
  ('agroalimentaire', 'Agroalimentaire', 'Food industry'),
  ('automobile', 'Automobile', 'Automotive'),
  ('bois', 'Bois', 'Wood'),
  ('chimie-materiaux', 'Chimie et matériaux', 'Chemicals and materials'),
  ('eau', 'Eau', 'Water'),
  ('electronique', 'Électronique', 'Electronics'),
  ('ferroviaire', 'Ferroviaire', 'Rail'),
  ('naval', 'Industries de la mer', 'Marine industries'),
  ('sante', 'Industries de santé', 'Health industries'),
  ('energie', 'Industries des nouveaux systèmes énergétiques', 'New energy systems industries'),
  ('construction', 'Industries pour la construction', 'Construction industries'),
  ('securite', 'Industries de sécurité', 'Security industries'),
  ('numerique', 'Infrastructures numériques', 'Digital infrastructure'),
  ('logiciels', 'Logiciels et solutions numériques de confiance', 'Trusted software and digital solutions'),
  ('metallurgie', 'Mines et métallurgie', 'Mining and metallurgy'),
  ('mode-luxe', 'Mode et luxe', 'Fashion and luxury'),
  ('nucleaire', 'Nucléaire', 'Nuclear'),
  ('industrie-futur', 'Solutions industrie du futur', 'Industry of the future solutions'),
  ('dechets', 'Transformation et valorisation des déchets', 'Waste transformation and recovery');

CREATE TABLE "s3_domain" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "region" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "name_en" TEXT,
  "filieres" TEXT,
  "period" TEXT
);

ALTER TABLE "cluster" ADD COLUMN "s3_domains" TEXT;
