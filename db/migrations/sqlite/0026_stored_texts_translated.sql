-- Texts kept for people and said in the reader's language (issue 17).
-- A failed transcription job keeps why it failed as a stable key (ErrorKey, e.g. 'no-model') with its figures (ErrorArgs,
-- a JSON array of strings), which the interface says in the reader's language; Error keeps the technical detail (an
-- exception's message), which only admins see. Jobs that failed before this have no key: their Error shows as written.
-- Badge descriptions get a text per language the way badge names do (ContentName, kind 'badge-desc'; the row's own
-- Description stays the installation language's and the fallback); the built-in ones in every interface language.
-- Descriptions an admin already gave are kept.
ALTER TABLE TranscriptionJob ADD COLUMN ErrorKey TEXT NULL;
ALTER TABLE TranscriptionJob ADD COLUMN ErrorArgs TEXT NULL;

INSERT OR IGNORE INTO ContentName (Kind, Code, Culture, Name) VALUES
    ('badge-desc', 'first-perfect', 'ro', 'Ai obținut 100 la un exercițiu.'),
    ('badge-desc', 'first-perfect', 'it', 'Hai ottenuto 100 in un esercizio.'),
    ('badge-desc', 'first-perfect', 'cs', 'Plný počet 100 bodů v jednom cvičení.'),
    ('badge-desc', 'first-perfect', 'sr-Latn', 'Osvojeno 100 poena na jednoj vežbi.'),
    ('badge-desc', 'first-perfect', 'he', 'קיבלת 100 בתרגיל.'),
    ('badge-desc', 'streak-7', 'ro', 'Ai exersat șapte zile la rând.'),
    ('badge-desc', 'streak-7', 'it', 'Sette giorni di pratica di fila.'),
    ('badge-desc', 'streak-7', 'cs', 'Sedm dní procvičování v řadě.'),
    ('badge-desc', 'streak-7', 'sr-Latn', 'Sedam dana vežbanja zaredom.'),
    ('badge-desc', 'streak-7', 'he', 'תרגלת שבעה ימים ברצף.'),
    ('badge-desc', 'category-mastery', 'ro', 'Ai recunoscut corect o categorie de fiecare dată, până când a ieșit din exersare.'),
    ('badge-desc', 'category-mastery', 'it', 'Hai riconosciuto correttamente una categoria ogni volta, finché non è uscita dalla pratica.'),
    ('badge-desc', 'category-mastery', 'cs', 'Kategorie pokaždé správně rozpoznaná, dokud nezmizela z procvičování.'),
    ('badge-desc', 'category-mastery', 'sr-Latn', 'Kategorija prepoznata tačno svaki put, dok nije nestala iz vežbanja.'),
    ('badge-desc', 'category-mastery', 'he', 'זיהית נכון קטגוריה בכל פעם, עד שיצאה מהתרגול.'),
    ('badge-desc', 'shared-story', 'ro', 'Ai povestit într-o discuție cum ai rezolvat o situație.'),
    ('badge-desc', 'shared-story', 'it', 'Hai raccontato in una discussione come hai gestito una situazione.'),
    ('badge-desc', 'shared-story', 'cs', 'V diskusi jste popsali, jak jste situaci zvládli.'),
    ('badge-desc', 'shared-story', 'sr-Latn', 'U diskusiji ste podelili kako ste rešili jednu situaciju.'),
    ('badge-desc', 'shared-story', 'he', 'שיתפת בדיון איך טיפלת במצב.'),
    ('badge-desc', 'certified', 'ro', 'Ai promovat un set de certificare.'),
    ('badge-desc', 'certified', 'it', 'Hai superato un set di certificazione.'),
    ('badge-desc', 'certified', 'cs', 'Úspěšně složená certifikační sada.'),
    ('badge-desc', 'certified', 'sr-Latn', 'Položen sertifikacioni set.'),
    ('badge-desc', 'certified', 'he', 'עברת סט הסמכה.');
