-- Calls that switch language: with "auto" each transcript line carries the language it was detected in
-- (Segment.Language, which until now held the call's one language), and transcript search can keep to one
-- language. The filter lists the languages lines are in, one index step each.
CREATE INDEX IX_Segment_Language ON Segment (Language);
