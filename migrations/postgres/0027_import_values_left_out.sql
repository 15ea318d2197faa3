-- A value an import cannot read (a country it does not know, a date without its year, a consent
-- word it cannot place) is left out of its customer, who comes in regardless: the report lists
-- it beside the refused rows (left_out = 1), and the import counts the values left out.
ALTER TABLE import_rejections ADD COLUMN left_out BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN left_out BIGINT NOT NULL DEFAULT 0;
