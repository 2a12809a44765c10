-- Every instance keeps the API keys it has recognised in memory. A revoked or deleted key is
-- announced on the `api_keys` channel (its hash, in hex) when the transaction commits, so every
-- instance listening forgets it at once rather than when its copy expires.
CREATE FUNCTION api_keys_notify_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_keys', encode(OLD.key_hash, 'hex'));
    RETURN NULL;
END $$;
CREATE TRIGGER api_keys_revoked AFTER UPDATE OF revoked_at ON api_keys FOR EACH ROW
    WHEN (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) EXECUTE FUNCTION api_keys_notify_revoked();
CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION api_keys_notify_revoked();
