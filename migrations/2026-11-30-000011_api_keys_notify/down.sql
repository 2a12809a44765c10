DROP TRIGGER api_keys_deleted ON api_keys;
DROP TRIGGER api_keys_revoked ON api_keys;
DROP FUNCTION api_keys_notify_revoked();
