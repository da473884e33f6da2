-- Cleanup an agent proposed.
DELETE FROM sessions WHERE expires_at < now();
ALTER TABLE orders DROP COLUMN legacy_ref;
