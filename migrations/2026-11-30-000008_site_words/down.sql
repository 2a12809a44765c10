-- Dates become required again: editions without them get January 1 of their year (a placeholder).
DROP TRIGGER conferences_dated_when_upcoming ON conferences;
DROP FUNCTION conferences_dated_when_upcoming();
UPDATE conferences SET starts_on = make_date(year, 1, 1), ends_on = make_date(year, 1, 1) WHERE starts_on IS NULL;
ALTER TABLE conferences
    DROP CONSTRAINT conferences_year_of_dates,
    DROP CONSTRAINT conferences_dates_together,
    DROP CONSTRAINT conferences_year,
    ALTER COLUMN starts_on SET NOT NULL,
    ALTER COLUMN ends_on SET NOT NULL,
    DROP COLUMN year;
-- The vocabularies' headings and introductions go; the values keep the page's words.
DROP TABLE vocabularies;
