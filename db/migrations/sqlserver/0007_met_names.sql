-- A model moment ("exemplary") names the need that was met, so it must not read as a failure ("No empathy" on a
-- green pin). Each category gets a positive name for the met need; empty falls back to Name.
ALTER TABLE NeedCategory ADD MetName NVARCHAR(200) NOT NULL CONSTRAINT DF_NeedCategory_MetName DEFAULT '';
-- The column is new in this batch, so the update is compiled only when it runs.
EXEC (N'UPDATE NeedCategory SET MetName = CASE Code
    WHEN ''information-not-given'' THEN ''Information given clearly''
    WHEN ''wrong-information'' THEN ''Accurate information''
    WHEN ''no-ownership'' THEN ''Ownership and follow-up''
    WHEN ''timeliness'' THEN ''Prompt, no needless waiting''
    WHEN ''complaint-mishandled'' THEN ''Complaint handled well''
    WHEN ''no-empathy'' THEN ''Empathy''
    WHEN ''not-listening'' THEN ''Active listening''
    WHEN ''missed-opportunity'' THEN ''Proactive help''
    WHEN ''rude-tone'' THEN ''Warm, respectful tone''
    WHEN ''unresolved'' THEN ''Need resolved''
    ELSE '''' END;');
