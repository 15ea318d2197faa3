-- Publishable keys for web pages (the JavaScript SDK): a browser cannot keep a secret, so such
-- a key is stored in full (shown again on the admin screen), may send only the event types an
-- admin allows, only from the origins listed, and at most `per_minute` requests a minute.
-- Lists are one value per line. Secret keys (for servers) keep working as before.
ALTER TABLE api_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'secret';
ALTER TABLE api_keys ADD COLUMN public_key TEXT;
ALTER TABLE api_keys ADD COLUMN event_types TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN origins TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN per_minute INTEGER;
