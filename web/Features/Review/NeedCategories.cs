using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using Dapper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Review;

/// <summary>The managed list of need categories: listing for forms and the API, and the admin's add/rename/deactivate.</summary>
public static class NeedCategories
{
    public sealed class Category
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        /// <summary>The need when it was met, for model moments ("Empathy" for no-empathy); empty = <see cref="Name"/>.</summary>
        public string MetName { get; init; } = "";
        public string Description { get; init; } = "";
        public int SortOrder { get; init; }

        public string NameFor(string kind) => kind == "exemplary" && MetName.Length > 0 ? MetName : Name;
        public bool IsActive { get; init; }
    }

    public sealed class Form
    {
        /// <summary>Empty for a new category; the code never changes once annotations use it.</summary>
        public string? Code { get; set; }

        [Required, MinLength(2), FitsColumn("NeedCategory", "Name")]
        public string Name { get; set; } = "";

        [FitsColumn("NeedCategory", "MetName")]
        [Display(Name = "Name when met")]
        public string MetName { get; set; } = "";

        [FitsColumn("NeedCategory", "Description")]
        public string Description { get; set; } = "";

        public bool IsActive { get; set; } = true;
    }

    public sealed record Model(IReadOnlyList<Category> Categories, Form Form);

    /// <summary>
    /// SQL for the name an annotation's category is shown by: the met need for a model moment, else the unmet
    /// need. <paramref name="kind"/> is the SQL of the kind ('unmet'/'exemplary'), <paramref name="category"/>
    /// the alias of the joined NeedCategory row. In the reader's language where the category has a name in it.
    /// </summary>
    public static string DisplayName(string kind, string category) =>
        $"CASE WHEN {kind} = 'exemplary' AND {category}.MetName <> '' THEN {ContentNames.Sql(ContentNames.CategoryMet, category + ".Code", category + ".MetName")} " +
        $"ELSE {ContentNames.Sql(ContentNames.Category, category + ".Code", category + ".Name")} END";

    public sealed class Handler(IDbConnectionFactory db)
    {
        /// <summary>The categories, named in the reader's language unless <paramref name="asStored"/> (the admin edits the stored names).</summary>
        public async Task<IReadOnlyList<Category>> ListAsync(bool activeOnly, CancellationToken ct, bool asStored = false)
        {
            await using var connection = await db.OpenAsync(ct);
            string Named(string kind, string column) => asStored ? column : ContentNames.Sql(kind, "c.Code", "c." + column) + " AS " + column;
            var rows = await connection.QueryAsync<Category>(
                $"SELECT c.Code, {Named(ContentNames.Category, "Name")}, {Named(ContentNames.CategoryMet, "MetName")}, c.Description, c.SortOrder, c.IsActive " +
                $"FROM NeedCategory c {(activeOnly ? "WHERE c.IsActive = 1" : "")} ORDER BY c.SortOrder, c.Name");
            return rows.ToList();
        }

        /// <summary>Adds (no code) or renames/re-describes/(de)activates a category; answers its code.</summary>
        public async Task<Outcome<string>> SaveAsync(Form form, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var name = form.Name.Trim();
            var code = string.IsNullOrWhiteSpace(form.Code) ? CodeFor(name) : form.Code.Trim();
            if (code.Length == 0)
                return Outcome.Invalid(nameof(Form.Name), "The name needs letters or digits.");
            var sameName = await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM NeedCategory WHERE lower(Name) = lower(@name) AND Code <> @code", new { name, code });
            if (sameName > 0)
                return Outcome.Invalid(nameof(Form.Name), new Message("A category called \"{0}\" already exists.", name));
            if (string.IsNullOrWhiteSpace(form.Code))
            {
                if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM NeedCategory WHERE Code = @code", new { code }) > 0)
                    return Outcome.Invalid(nameof(Form.Name), new Message("The code \"{0}\" is taken; choose another name.", code));
                await connection.ExecuteAsync(
                    """
                    INSERT INTO NeedCategory (Code, Name, MetName, Description, SortOrder, IsActive)
                    VALUES (@code, @name, @metName, @Description, (SELECT COALESCE(MAX(SortOrder), 0) + 10 FROM NeedCategory), 1)
                    """, new { code, name, metName = form.MetName.Trim(), form.Description });
                return Outcome.Done(code);
            }
            var updated = await connection.ExecuteAsync(
                "UPDATE NeedCategory SET Name = @name, MetName = @metName, Description = @Description, IsActive = @IsActive WHERE Code = @code",
                new { code, name, metName = form.MetName.Trim(), form.Description, form.IsActive });
            return updated == 0 ? Outcome.Invalid(nameof(Form.Name), "No such category.") : Outcome.Done(code);
        }

        private static string CodeFor(string name)
        {
            var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
            var code = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
            // A long name gives a long code: keep what fits the key column.
            var max = ColumnLimits.MaxLength("NeedCategory", "Code");
            return code.Length <= max ? code : code[..max].TrimEnd('-');
        }
    }
}
