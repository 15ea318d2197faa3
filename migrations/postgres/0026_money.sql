-- Money per currency. An event's amount is in the ISO 4217 minor units of its currency, which
-- now has a column of its own (copied from the payload) so that a customer's purchases and
-- refunds are summed per currency, never across currencies. Amounts stored before this
-- version were hundredths in every currency; the server converts those of currencies with
-- another exponent (JPY, KWD, …) once, after the migrations, and reports what it changed.
ALTER TABLE events ADD COLUMN currency TEXT;
UPDATE events SET currency = payload::jsonb ->> 'currency' WHERE amount_cents IS NOT NULL;
CREATE INDEX events_money ON events (customer_id, currency, event_type, amount_cents)
    WHERE amount_cents IS NOT NULL;
-- One column held every currency's amounts added together: totals are now read per currency
-- from the events.
ALTER TABLE customers DROP COLUMN lifetime_spend_cents;
