using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The admin names need categories (unmet and met), the current rubric (its name, sections, criteria and their
/// guidance) and the badges (their names and descriptions) in each interface language. An empty name means none: readers of that language see the stored (installation language) name.
/// </summary>
public static class EditContentNames
{
    public sealed class Form
    {
        /// <summary>By "kind:code:culture", the name in that language ("" removes it).</summary>
        public Dictionary<string, string?> Names { get; set; } = [];
    }

    public sealed record Item(string Kind, string Code, string Stored, IReadOnlyDictionary<string, string> Names)
    {
        public int MaxLength => ColumnLimits.MaxLength(Limits[Kind].Table, Limits[Kind].Column);
    }

    public sealed record Model(IReadOnlyList<string> Cultures, IReadOnlyList<Item> Items);

    /// <summary>The form field of one name; a code may hold ':' (a section is coded by its text), kinds and cultures never do.</summary>
    public static string Field(string kind, string code, string culture) => $"Names[{kind}:{code}:{culture}]";

    /// <summary>Each kind's name fits where its stored name does.</summary>
    private static readonly IReadOnlyDictionary<string, (string Table, string Column)> Limits = new Dictionary<string, (string, string)>
    {
        [ContentNames.Category] = ("NeedCategory", "Name"),
        [ContentNames.CategoryMet] = ("NeedCategory", "MetName"),
        [ContentNames.Rubric] = ("Rubric", "Name"),
        [ContentNames.Section] = ("RubricCriterion", "Section"),
        [ContentNames.Criterion] = ("RubricCriterion", "Title"),
        [ContentNames.Guidance] = ("RubricCriterion", "Guidance"),
        [ContentNames.Badge] = ("Badge", "Name"),
        [ContentNames.BadgeDescription] = ("Badge", "Description"),
    };

    /// <summary>Kinds whose text runs to sentences: a text area rather than a line.</summary>
    public static bool IsLong(string kind) => kind is ContentNames.Guidance or ContentNames.BadgeDescription;

    public sealed class Handler(IDbConnectionFactory db, IConfiguration configuration)
    {
        /// <summary>Every language but the installation's, whose names are the stored ones.</summary>
        private IReadOnlyList<string> Cultures()
        {
            var installation = Languages.Normalize(configuration["CallReview:Language"]) ?? "en";
            return Languages.All.Select(l => l.Culture).Where(c => c != installation).ToList();
        }

        private static string Code(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public async Task<Model> LoadAsync(CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var stored = new List<(string Kind, string Code, string Name)>();
            foreach (var c in await connection.QueryAsync<(string Code, string Name, string MetName)>("SELECT Code, Name, MetName FROM NeedCategory ORDER BY SortOrder, Name"))
            {
                stored.Add((ContentNames.Category, c.Code, c.Name));
                if (c.MetName.Length > 0)
                    stored.Add((ContentNames.CategoryMet, c.Code, c.MetName));
            }
            // The current rubric: its name, then each section followed by its criteria and their guidance.
            var rubric = await connection.QuerySingleAsync<(int Id, string Name, int VersionId)>(
                "SELECT r.Id, r.Name, v.Id FROM RubricVersion v JOIN Rubric r ON r.Id = v.RubricId WHERE v.Id = (SELECT MAX(Id) FROM RubricVersion WHERE IsCurrent = 1)");
            stored.Add((ContentNames.Rubric, Code(rubric.Id), rubric.Name));
            var criteria = await ScorecardPanel.Handler.CriteriaAsync(connection, rubric.VersionId, asStored: true);
            foreach (var section in criteria.GroupBy(c => c.Section))
            {
                stored.Add((ContentNames.Section, section.Key, section.Key));
                foreach (var c in section)
                {
                    stored.Add((ContentNames.Criterion, Code(c.Id), c.Title));
                    if (c.Guidance.Length > 0)
                        stored.Add((ContentNames.Guidance, Code(c.Id), c.Guidance));
                }
            }
            foreach (var b in await connection.QueryAsync<(string Code, string Name, string Description)>("SELECT Code, Name, Description FROM Badge ORDER BY SortOrder"))
            {
                stored.Add((ContentNames.Badge, b.Code, b.Name));
                stored.Add((ContentNames.BadgeDescription, b.Code, b.Description));
            }
            var names = (await connection.QueryAsync<(string Kind, string Code, string Culture, string Name)>("SELECT Kind, Code, Culture, Name FROM ContentName"))
                .ToLookup(n => (n.Kind, n.Code));
            return new Model(Cultures(), stored.Select(s => new Item(s.Kind, s.Code, s.Name,
                names[(s.Kind, s.Code)].ToDictionary(n => n.Culture, n => n.Name))).ToList());
        }

        public async Task<Outcome<Outcome.Unit>> SaveAsync(Form form, CancellationToken ct)
        {
            var cultures = Cultures();
            var rows = new List<(string Kind, string Code, string Culture, string? Name)>();
            foreach (var (key, value) in form.Names)
            {
                var (first, last) = (key.IndexOf(':'), key.LastIndexOf(':'));
                var (kind, culture) = (first < 0 ? key : key[..first], key[(last + 1)..]);
                if (first == last || !Limits.TryGetValue(kind, out var column) || !cultures.Contains(culture))
                    return Outcome.Invalid("", "A name was sent for a kind or language this page does not offer.");
                var name = value?.Trim() ?? "";
                if (name.Length > ColumnLimits.MaxLength(column.Table, column.Column))
                    return Outcome.Invalid("", "A name is too long.");
                rows.Add((kind, key[(first + 1)..last], culture, name.Length == 0 ? null : name));
            }
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var upsert = db.Dialect.Upsert("ContentName", ["Kind", "Code", "Culture"], ["Name"]);
            foreach (var row in rows)
            {
                if (row.Name is null)
                    await connection.ExecuteAsync("DELETE FROM ContentName WHERE Kind = @Kind AND Code = @Code AND Culture = @Culture", new { row.Kind, row.Code, row.Culture }, tx);
                else
                    await connection.ExecuteAsync(upsert, new { row.Kind, row.Code, row.Culture, row.Name }, tx);
            }
            await tx.CommitAsync(ct);
            return Outcome.Done();
        }
    }
}
