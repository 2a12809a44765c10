DROP TABLE conference_sessions;
DROP TABLE proposal_reviews;
DROP TABLE proposals;
DROP TABLE proposal_calls;
DROP TRIGGER registrations_count_seats ON registrations;
DROP FUNCTION registrations_count_seats();
DROP TABLE registrations;
DROP TABLE registration_types;
DROP TABLE conferences;
