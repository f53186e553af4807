-- The built-in rubric (0003) named in the interface's other languages: its name, sections, criteria and their
-- guidance, so a Romanian reviewer scores and a Hebrew agent reads their scorecard in their own words from the first
-- day. Criteria and the rubric are matched by the English text as stored, so a later version that kept a criterion's
-- words is named too; names an admin already gave at /admin/names are kept. A section is named by its stored text
-- (criteria and versions share it), so Code widens to a section's length; Name to a guidance's.
ALTER TABLE ContentName DROP CONSTRAINT PK_ContentName;
ALTER TABLE ContentName ALTER COLUMN Code NVARCHAR(100) NOT NULL;
ALTER TABLE ContentName ADD CONSTRAINT PK_ContentName PRIMARY KEY (Kind, Code, Culture);
ALTER TABLE ContentName ALTER COLUMN Name NVARCHAR(1000) NOT NULL;

WITH v (Kind, Stored, Culture, Name) AS (SELECT * FROM (VALUES
    (N'rubric', N'Customer service call', N'ro', N'Apel de relații cu clienții'),
    (N'rubric', N'Customer service call', N'it', N'Chiamata di assistenza clienti'),
    (N'rubric', N'Customer service call', N'cs', N'Hovor zákaznického servisu'),
    (N'rubric', N'Customer service call', N'sr-Latn', N'Poziv korisničke podrške'),
    (N'rubric', N'Customer service call', N'he', N'שיחת שירות לקוחות'),
    (N'rubric-section', N'Knowledge', N'ro', N'Cunoștințe'),
    (N'rubric-section', N'Knowledge', N'it', N'Conoscenza'),
    (N'rubric-section', N'Knowledge', N'cs', N'Znalosti'),
    (N'rubric-section', N'Knowledge', N'sr-Latn', N'Znanje'),
    (N'rubric-section', N'Knowledge', N'he', N'ידע'),
    (N'rubric-section', N'Manner', N'ro', N'Atitudine'),
    (N'rubric-section', N'Manner', N'it', N'Comportamento'),
    (N'rubric-section', N'Manner', N'cs', N'Vystupování'),
    (N'rubric-section', N'Manner', N'sr-Latn', N'Ponašanje'),
    (N'rubric-section', N'Manner', N'he', N'התנהלות'),
    (N'rubric-section', N'Outcome', N'ro', N'Rezultat'),
    (N'rubric-section', N'Outcome', N'it', N'Esito'),
    (N'rubric-section', N'Outcome', N'cs', N'Výsledek'),
    (N'rubric-section', N'Outcome', N'sr-Latn', N'Ishod'),
    (N'rubric-section', N'Outcome', N'he', N'תוצאה'),
    (N'rubric-section', N'General', N'ro', N'General'),
    (N'rubric-section', N'General', N'it', N'Generale'),
    (N'rubric-section', N'General', N'cs', N'Obecné'),
    (N'rubric-section', N'General', N'sr-Latn', N'Opšte'),
    (N'rubric-section', N'General', N'he', N'כללי'),
    (N'criterion', N'Product knowledge accuracy', N'ro', N'Cunoașterea corectă a produsului'),
    (N'criterion', N'Product knowledge accuracy', N'it', N'Accuratezza nella conoscenza del prodotto'),
    (N'criterion', N'Product knowledge accuracy', N'cs', N'Přesná znalost produktu'),
    (N'criterion', N'Product knowledge accuracy', N'sr-Latn', N'Tačnost znanja o proizvodu'),
    (N'criterion', N'Product knowledge accuracy', N'he', N'דיוק בידע על המוצר'),
    (N'guidance', N'Information given was correct and complete.', N'ro', N'Informațiile date au fost corecte și complete.'),
    (N'guidance', N'Information given was correct and complete.', N'it', N'Le informazioni date erano corrette e complete.'),
    (N'guidance', N'Information given was correct and complete.', N'cs', N'Poskytnuté informace byly správné a úplné.'),
    (N'guidance', N'Information given was correct and complete.', N'sr-Latn', N'Date informacije su bile tačne i potpune.'),
    (N'guidance', N'Information given was correct and complete.', N'he', N'המידע שנמסר היה נכון ומלא.'),
    (N'criterion', N'No wrong or harmful information', N'ro', N'Fără informații greșite sau dăunătoare'),
    (N'criterion', N'No wrong or harmful information', N'it', N'Nessuna informazione errata o dannosa'),
    (N'criterion', N'No wrong or harmful information', N'cs', N'Žádné chybné ani škodlivé informace'),
    (N'criterion', N'No wrong or harmful information', N'sr-Latn', N'Bez pogrešnih ili štetnih informacija'),
    (N'criterion', N'No wrong or harmful information', N'he', N'ללא מידע שגוי או מזיק'),
    (N'guidance', N'Answer no if the agent gave information that could harm the customer.', N'ro', N'Răspundeți nu dacă agentul a dat informații care ar putea dăuna clientului.'),
    (N'guidance', N'Answer no if the agent gave information that could harm the customer.', N'it', N'Rispondere no se l''operatore ha dato informazioni che potrebbero danneggiare il cliente.'),
    (N'guidance', N'Answer no if the agent gave information that could harm the customer.', N'cs', N'Odpovězte ne, pokud operátor poskytl informace, které by mohly zákazníkovi uškodit.'),
    (N'guidance', N'Answer no if the agent gave information that could harm the customer.', N'sr-Latn', N'Odgovorite ne ako je agent dao informacije koje bi mogle da naštete korisniku.'),
    (N'guidance', N'Answer no if the agent gave information that could harm the customer.', N'he', N'ענו לא אם הנציג מסר מידע שעלול להזיק ללקוח.'),
    (N'criterion', N'Tone', N'ro', N'Ton'),
    (N'criterion', N'Tone', N'it', N'Tono'),
    (N'criterion', N'Tone', N'cs', N'Tón'),
    (N'criterion', N'Tone', N'sr-Latn', N'Ton'),
    (N'criterion', N'Tone', N'he', N'טון'),
    (N'guidance', N'Courteous, calm, never curt or condescending.', N'ro', N'Politicos, calm, niciodată răstit sau condescendent.'),
    (N'guidance', N'Courteous, calm, never curt or condescending.', N'it', N'Cortese, calmo, mai brusco o condiscendente.'),
    (N'guidance', N'Courteous, calm, never curt or condescending.', N'cs', N'Zdvořilý, klidný, nikdy úsečný ani povýšený.'),
    (N'guidance', N'Courteous, calm, never curt or condescending.', N'sr-Latn', N'Ljubazan, smiren, nikada grub ili nadmen.'),
    (N'guidance', N'Courteous, calm, never curt or condescending.', N'he', N'אדיב, רגוע, אף פעם לא קצר רוח או מתנשא.'),
    (N'criterion', N'Empathy', N'ro', N'Empatie'),
    (N'criterion', N'Empathy', N'it', N'Empatia'),
    (N'criterion', N'Empathy', N'cs', N'Empatie'),
    (N'criterion', N'Empathy', N'sr-Latn', N'Empatija'),
    (N'criterion', N'Empathy', N'he', N'אמפתיה'),
    (N'guidance', N'Acknowledged the customer''s feelings and situation.', N'ro', N'A recunoscut sentimentele și situația clientului.'),
    (N'guidance', N'Acknowledged the customer''s feelings and situation.', N'it', N'Ha riconosciuto i sentimenti e la situazione del cliente.'),
    (N'guidance', N'Acknowledged the customer''s feelings and situation.', N'cs', N'Uznal pocity a situaci zákazníka.'),
    (N'guidance', N'Acknowledged the customer''s feelings and situation.', N'sr-Latn', N'Uvažio je osećanja i situaciju korisnika.'),
    (N'guidance', N'Acknowledged the customer''s feelings and situation.', N'he', N'הכיר ברגשות הלקוח ובמצבו.'),
    (N'criterion', N'Ownership and timeliness', N'ro', N'Asumare și promptitudine'),
    (N'criterion', N'Ownership and timeliness', N'it', N'Presa in carico e tempestività'),
    (N'criterion', N'Ownership and timeliness', N'cs', N'Převzetí odpovědnosti a včasnost'),
    (N'criterion', N'Ownership and timeliness', N'sr-Latn', N'Preuzimanje odgovornosti i brzina'),
    (N'criterion', N'Ownership and timeliness', N'he', N'לקיחת אחריות ועמידה בזמנים'),
    (N'guidance', N'Took responsibility, kept holds short, set a clear follow-up.', N'ro', N'Și-a asumat responsabilitatea, a ținut așteptările scurte, a stabilit o continuare clară.'),
    (N'guidance', N'Took responsibility, kept holds short, set a clear follow-up.', N'it', N'Si è assunto la responsabilità, ha tenuto brevi le attese, ha fissato un seguito chiaro.'),
    (N'guidance', N'Took responsibility, kept holds short, set a clear follow-up.', N'cs', N'Převzal odpovědnost, čekání držel krátké, domluvil jasný další postup.'),
    (N'guidance', N'Took responsibility, kept holds short, set a clear follow-up.', N'sr-Latn', N'Preuzeo je odgovornost, kratko držao na čekanju, dogovorio jasan nastavak.'),
    (N'guidance', N'Took responsibility, kept holds short, set a clear follow-up.', N'he', N'לקח אחריות, קיצר את זמני ההמתנה, קבע המשך טיפול ברור.'),
    (N'criterion', N'Resolution', N'ro', N'Rezolvare'),
    (N'criterion', N'Resolution', N'it', N'Risoluzione'),
    (N'criterion', N'Resolution', N'cs', N'Vyřešení'),
    (N'criterion', N'Resolution', N'sr-Latn', N'Rešenje'),
    (N'criterion', N'Resolution', N'he', N'פתרון'),
    (N'guidance', N'The customer''s need was resolved or a clear path agreed.', N'ro', N'Nevoia clientului a fost rezolvată sau s-a convenit o cale clară.'),
    (N'guidance', N'The customer''s need was resolved or a clear path agreed.', N'it', N'L''esigenza del cliente è stata risolta o si è concordato un percorso chiaro.'),
    (N'guidance', N'The customer''s need was resolved or a clear path agreed.', N'cs', N'Potřeba zákazníka byla vyřešena nebo byl dohodnut jasný postup.'),
    (N'guidance', N'The customer''s need was resolved or a clear path agreed.', N'sr-Latn', N'Potreba korisnika je rešena ili je dogovoren jasan put.'),
    (N'guidance', N'The customer''s need was resolved or a clear path agreed.', N'he', N'הצורך של הלקוח נפתר או שסוכם מסלול ברור.')
) AS t (Kind, Stored, Culture, Name))
INSERT INTO ContentName (Kind, Code, Culture, Name)
SELECT n.Kind, n.Code, n.Culture, n.Name FROM (
SELECT v.Kind, v.Stored AS Code, v.Culture, v.Name FROM v WHERE v.Kind = 'rubric-section'
UNION ALL
SELECT DISTINCT v.Kind, CAST(x.Id AS NVARCHAR(20)) AS Code, v.Culture, v.Name FROM v JOIN Rubric x ON x.Name = v.Stored WHERE v.Kind = 'rubric'
UNION ALL
SELECT DISTINCT v.Kind, CAST(x.Id AS NVARCHAR(20)) AS Code, v.Culture, v.Name FROM v JOIN RubricCriterion x ON x.Title = v.Stored WHERE v.Kind = 'criterion'
UNION ALL
SELECT DISTINCT v.Kind, CAST(x.Id AS NVARCHAR(20)) AS Code, v.Culture, v.Name FROM v JOIN RubricCriterion x ON x.Guidance = v.Stored WHERE v.Kind = 'guidance'
) AS n
WHERE NOT EXISTS (SELECT 1 FROM ContentName e WHERE e.Kind = n.Kind AND e.Code = n.Code AND e.Culture = n.Culture);
