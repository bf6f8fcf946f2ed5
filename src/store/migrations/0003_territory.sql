-- 0003: territories (names and boundaries, e.g. from the IGN/INSEE GeoJSON files).

CREATE TABLE "territory" (
  "level" TEXT NOT NULL,
  "code" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "parent" TEXT,
  "geometry" TEXT,
  PRIMARY KEY ("level", "code")
);
