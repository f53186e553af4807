-- SQL Server's 0025 takes back the names its 0020 gave to criteria whose words matched the built-in rubric's only
-- case-insensitively. SQLite's 0020 compared exactly, so there is nothing to take back here.
SELECT 1;
