-- 0023: the language an account chose for the messages it reads (issue #21 item 3: server
-- messages in the caller's language — the account's setting, else the request's Accept-Language).
-- NULL: none chosen.
ALTER TABLE app_user ADD COLUMN language TEXT CHECK (language IN ('fr', 'en'));
