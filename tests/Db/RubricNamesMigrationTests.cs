using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Tests.Db;

/// <summary>The migration naming the built-in rubric in the interface's other languages.</summary>
public sealed class RubricNamesMigrationTests
{
    [DatabaseTheory, DatabaseData]
    public async Task RubricNamesMigration_NamesEveryPartOfTheBuiltInRubricInEveryLanguage_KeepsAnAdminsName(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Connections).MigrateAsync();
        await using var connection = await db.OpenAsync();
        var kinds = new { Kinds = new[] { ContentNames.Rubric, ContentNames.Section, ContentNames.Criterion, ContentNames.Guidance } };
        var empathy = await connection.ExecuteScalarAsync<int>("SELECT Id FROM RubricCriterion WHERE Title = 'Empathy'");
        // As before the migration, with the one name an admin had given.
        await connection.ExecuteAsync("DELETE FROM ContentName WHERE Kind IN @Kinds", kinds);
        await connection.ExecuteAsync("INSERT INTO ContentName (Kind, Code, Culture, Name) VALUES (@Kind, @Code, 'ro', 'Empatie față de client')",
            new { Kind = ContentNames.Criterion, Code = empathy.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        await connection.ExecuteAsync(Migrator.Load(provider).Single(m => m.Name == "rubric_names_translated").Sql);

        var names = (await connection.QueryAsync<(string Kind, string Code, string Culture, string Name)>(
            "SELECT Kind, Code, Culture, Name FROM ContentName WHERE Kind IN @Kinds", kinds)).ToList();
        Assert.Equal("Empatie față de client", names.Single(n => n.Kind == ContentNames.Criterion && n.Code == empathy.ToString() && n.Culture == "ro").Name);
        var criteria = (await connection.QueryAsync<(int Id, string Guidance)>("SELECT Id, Guidance FROM RubricCriterion")).ToList();
        foreach (var culture in Languages.All.Select(l => l.Culture).Where(c => c != "en"))
        {
            var named = names.Where(n => n.Culture == culture).Select(n => (n.Kind, n.Code)).ToHashSet();
            Assert.Contains((ContentNames.Rubric, "1"), named);
            foreach (var section in new[] { "Knowledge", "Manner", "Outcome", "General" })
                Assert.Contains((ContentNames.Section, section), named);
            foreach (var c in criteria)
            {
                Assert.Contains((ContentNames.Criterion, c.Id.ToString()), named);
                Assert.Contains((ContentNames.Guidance, c.Id.ToString()), named);
            }
        }
    }
}
