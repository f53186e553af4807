using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The admin names need categories (unmet and met), the current rubric's criteria and the badges in each interface
/// language. An empty name means none: readers of that language see the stored (installation language) name.
/// </summary>
public static class EditContentNames
{
    public sealed class Form
    {
        /// <summary>By "kind:code:culture", the name in that language ("" removes it).</summary>
        public Dictionary<string, string?> Names { get; set; } = [];
    }

    public sealed record Item(string Kind, string Code, string Stored, IReadOnlyDictionary<string, string> Names);

    public sealed record Model(IReadOnlyList<string> Cultures, IReadOnlyList<Item> Items);

    public static string Key(string kind, string code, string culture) => $"{kind}:{code}:{culture}";

    private static readonly string[] Kinds = [ContentNames.Category, ContentNames.CategoryMet, ContentNames.Criterion, ContentNames.Badge];

    public sealed class Handler(IDbConnectionFactory db, IConfiguration configuration)
    {
        /// <summary>Every language but the installation's, whose names are the stored ones.</summary>
        private IReadOnlyList<string> Cultures()
        {
            var installation = Languages.Normalize(configuration["CallReview:Language"]) ?? "en";
            return Languages.All.Select(l => l.Culture).Where(c => c != installation).ToList();
        }

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
            stored.AddRange((await connection.QueryAsync<(int Id, string Title)>(
                    "SELECT Id, Title FROM RubricCriterion WHERE RubricVersionId = (SELECT MAX(Id) FROM RubricVersion) ORDER BY SortOrder, Id"))
                .Select(c => (ContentNames.Criterion, c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Title)));
            stored.AddRange((await connection.QueryAsync<(string Code, string Name)>("SELECT Code, Name FROM Badge ORDER BY SortOrder"))
                .Select(b => (ContentNames.Badge, b.Code, b.Name)));
            var names = (await connection.QueryAsync<(string Kind, string Code, string Culture, string Name)>("SELECT Kind, Code, Culture, Name FROM ContentName"))
                .ToLookup(n => (n.Kind, n.Code));
            return new Model(Cultures(), stored.Select(s => new Item(s.Kind, s.Code, s.Name,
                names[(s.Kind, s.Code)].ToDictionary(n => n.Culture, n => n.Name))).ToList());
        }

        public async Task<Outcome<Outcome.Unit>> SaveAsync(Form form, CancellationToken ct)
        {
            var cultures = Cultures();
            var limit = ColumnLimits.MaxLength("ContentName", "Name");
            var rows = new List<(string Kind, string Code, string Culture, string? Name)>();
            foreach (var (key, value) in form.Names)
            {
                var parts = key.Split(':');
                if (parts.Length != 3 || !Kinds.Contains(parts[0]) || !cultures.Contains(parts[2]))
                    return Outcome.Invalid("", "A name was sent for a kind or language this page does not offer.");
                var name = value?.Trim() ?? "";
                if (name.Length > limit)
                    return Outcome.Invalid("", "A name is too long.");
                rows.Add((parts[0], parts[1], parts[2], name.Length == 0 ? null : name));
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
