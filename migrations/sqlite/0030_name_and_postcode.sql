-- Same name and postcode: listed page by page on the duplicates page. The postcode is compared
-- in capitals without spaces (`duplicates::postcode_key`), the same expression as the query's.
CREATE INDEX customers_by_name_and_postcode
    ON customers (last_name_key, first_name_key, (UPPER(REPLACE(postal_code, ' ', ''))));
