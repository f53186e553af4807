-- Texts kept for people and said in the reader's language (issue 17).
-- A failed transcription job keeps why it failed as a stable key (ErrorKey, e.g. 'no-model') with its figures (ErrorArgs,
-- a JSON array of strings), which the interface says in the reader's language; Error keeps the technical detail (an
-- exception's message), which only admins see. Jobs that failed before this have no key: their Error shows as written.
-- Badge descriptions get a text per language the way badge names do (ContentName, kind 'badge-desc'; the row's own
-- Description stays the installation language's and the fallback); the built-in ones in every interface language.
-- Descriptions an admin already gave are kept.
ALTER TABLE TranscriptionJob ADD ErrorKey NVARCHAR(64) NULL, ErrorArgs NVARCHAR(MAX) NULL;

INSERT INTO ContentName (Kind, Code, Culture, Name)
SELECT v.Kind, v.Code, v.Culture, v.Name FROM (VALUES
    (N'badge-desc', N'first-perfect', N'ro', N'Ai obținut 100 la un exercițiu.'),
    (N'badge-desc', N'first-perfect', N'it', N'Hai ottenuto 100 in un esercizio.'),
    (N'badge-desc', N'first-perfect', N'cs', N'Plný počet 100 bodů v jednom cvičení.'),
    (N'badge-desc', N'first-perfect', N'sr-Latn', N'Osvojeno 100 poena na jednoj vežbi.'),
    (N'badge-desc', N'first-perfect', N'he', N'קיבלת 100 בתרגיל.'),
    (N'badge-desc', N'streak-7', N'ro', N'Ai exersat șapte zile la rând.'),
    (N'badge-desc', N'streak-7', N'it', N'Sette giorni di pratica di fila.'),
    (N'badge-desc', N'streak-7', N'cs', N'Sedm dní procvičování v řadě.'),
    (N'badge-desc', N'streak-7', N'sr-Latn', N'Sedam dana vežbanja zaredom.'),
    (N'badge-desc', N'streak-7', N'he', N'תרגלת שבעה ימים ברצף.'),
    (N'badge-desc', N'category-mastery', N'ro', N'Ai recunoscut corect o categorie de fiecare dată, până când a ieșit din exersare.'),
    (N'badge-desc', N'category-mastery', N'it', N'Hai riconosciuto correttamente una categoria ogni volta, finché non è uscita dalla pratica.'),
    (N'badge-desc', N'category-mastery', N'cs', N'Kategorie pokaždé správně rozpoznaná, dokud nezmizela z procvičování.'),
    (N'badge-desc', N'category-mastery', N'sr-Latn', N'Kategorija prepoznata tačno svaki put, dok nije nestala iz vežbanja.'),
    (N'badge-desc', N'category-mastery', N'he', N'זיהית נכון קטגוריה בכל פעם, עד שיצאה מהתרגול.'),
    (N'badge-desc', N'shared-story', N'ro', N'Ai povestit într-o discuție cum ai rezolvat o situație.'),
    (N'badge-desc', N'shared-story', N'it', N'Hai raccontato in una discussione come hai gestito una situazione.'),
    (N'badge-desc', N'shared-story', N'cs', N'V diskusi jste popsali, jak jste situaci zvládli.'),
    (N'badge-desc', N'shared-story', N'sr-Latn', N'U diskusiji ste podelili kako ste rešili jednu situaciju.'),
    (N'badge-desc', N'shared-story', N'he', N'שיתפת בדיון איך טיפלת במצב.'),
    (N'badge-desc', N'certified', N'ro', N'Ai promovat un set de certificare.'),
    (N'badge-desc', N'certified', N'it', N'Hai superato un set di certificazione.'),
    (N'badge-desc', N'certified', N'cs', N'Úspěšně složená certifikační sada.'),
    (N'badge-desc', N'certified', N'sr-Latn', N'Položen sertifikacioni set.'),
    (N'badge-desc', N'certified', N'he', N'עברת סט הסמכה.')
) AS v (Kind, Code, Culture, Name)
WHERE NOT EXISTS (SELECT 1 FROM ContentName n WHERE n.Kind = v.Kind AND n.Code = v.Code AND n.Culture = v.Culture);
