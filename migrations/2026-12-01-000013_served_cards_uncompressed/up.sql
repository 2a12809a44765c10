-- A served card is 1 to 8 KB of JSON (2.2 KB on average with real abstracts). Past ~2 KB a row was
-- compressed (pglz) or moved to TOAST, so most cold reads of a detail or a list page decompressed
-- each card before sending bytes that are only copied out. Rows up to 8,160 bytes now stay in the
-- heap as they are (larger ones are compressed and toasted as before): measured at 100,000
-- resources, cold detail +10%, cold list pages +16% (bench/RESULTS.md, session 11).
ALTER TABLE served_cards SET (toast_tuple_target = 8160);
-- The cards already stored, stored again under the new rule (a copy of the text is a new,
-- uncompressed value; the bytes served are the same).
UPDATE served_cards SET body = body || '';
