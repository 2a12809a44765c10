DROP TRIGGER vocabularies_changed ON vocabularies;
