-- 0014: a published evaluation on the public portal. Publishing a year's evaluation shows it to
-- the evaluated; the State chooses separately, year by year, to show each cluster's rating and
-- rank interval on the cluster's public page (public_at set), and may withdraw it (public_at
-- null again). The reports and the indicators stay with the evaluated.

ALTER TABLE "evaluation_publication" ADD COLUMN "public_at" TEXT;
ALTER TABLE "evaluation_publication" ADD COLUMN "public_by" TEXT;
