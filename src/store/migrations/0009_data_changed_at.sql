-- 0009: when entity data last changed, beside its version: pages print "data as of <date>" (the
-- version number means nothing to a reader). Set by every commit that moves the data version;
-- empty until the first such commit after this migration.

INSERT INTO "meta" ("key", "value") VALUES ('data_changed_at', '');
