using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Reflection;
using CallReview.Db;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Calls;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Infrastructure;

/// <summary>Numbers out of range and text longer than its column answer 400 naming the field (or, on a form that shows them, the form again), never 500.</summary>
public sealed class InputLimitsTests(InputLimitsTests.Fixture app) : IClassFixture<InputLimitsTests.Fixture>
{
    public sealed class Fixture : LearningFixture;

    private static async Task AssertRefusedNamingAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Contains($"\"{field}\"", body);
    }

    [Fact]
    public async Task NewAnnotation_EndThatOverflowsMilliseconds_Is400NamingEnd()
    {
        var rita = await app.As(ReviewFixture.Rita);

        var response = await rita.GetAsync($"/review/{app.NorthCall}/annotations/new?start=1&end=1e20");

        await AssertRefusedNamingAsync(response, "end");
    }

    [Fact]
    public async Task ReviewPage_StartAtThatOverflows_Is400NamingT()
    {
        var rita = await app.As(ReviewFixture.Rita);

        await AssertRefusedNamingAsync(await rita.GetAsync($"/review/{app.NorthCall}?t=1e27"), "t");
    }

    /// <summary>The builder shows its form again (ShowsLimitsOnItsForm) with the limit beside the field, and saves nothing.</summary>
    [Fact]
    public async Task SaveExercise_HugeExcerptStart_ShowsTheFormAgainWithTheLimitBesideExcerptStart()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var fields = app.ExerciseFields(app.AnnotatedCall, "Overflow", publish: false, app.North)
            .Append(new("ExcerptStart", "100000000000000000"));

        var response = await rita.PostFormAsync("/exercises/save", fields, $"/exercises/new?callId={app.AnnotatedCall}");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Matches("name=\"ExcerptStart\"[^>]*aria-invalid=\"true\" />\\s*<span class=\"field-error\">[^<]*at most 604800 seconds.</span>", body);
        Assert.Equal(0, await app.QueryOneAsync<int>("SELECT COUNT(*) FROM Exercise WHERE Title = 'Overflow'"));
    }

    [Fact]
    public async Task SubmitAttempt_PinAtThatOverflows_Is400NamingThePin()
    {
        var leo = await app.As(ReviewFixture.Leo);

        var response = await leo.PostFormAsync($"/practice/exercises/{app.Spot}",
            [new("Pins[0].Side", "a"), new("Pins[0].At", "1e17"), new("Pins[0].Category", "no-ownership"), new("Critique", LearningFixture.Critique)],
            $"/practice/exercises/{app.Spot}");

        await AssertRefusedNamingAsync(response, "Pins[0].At");
    }

    [Fact]
    public async Task CallList_PageThatOverflowsTheOffset_Is400NamingPage()
    {
        var rita = await app.As(ReviewFixture.Rita);

        await AssertRefusedNamingAsync(await rita.GetAsync("/calls?page=2147483647"), "Page");
    }

    [Fact]
    public async Task Calibration_TitleLongerThanItsColumn_Is400NamingTitle()
    {
        var sue = await app.As(ReviewFixture.Sue);

        var response = await sue.PostFormAsync("/calibration",
            [new("CallId", app.NorthCall.ToString()), new("Title", new string('t', 201)),
             new("Reviewers", (await app.UserIdAsync(ReviewFixture.Rita)).ToString()), new("Reviewers", (await app.UserIdAsync(ReviewFixture.Rob)).ToString())]);

        await AssertRefusedNamingAsync(response, "Title");
    }

    [Fact]
    public async Task Calibration_DefaultTitleFromALongCallTitle_IsFittedToItsColumn()
    {
        var longCall = await app.InsertCallAsync(new string('c', 400), app.North, null);
        var sue = await app.As(ReviewFixture.Sue);

        var response = await sue.PostFormAsync("/calibration",
            [new("CallId", longCall.ToString()),
             new("Reviewers", (await app.UserIdAsync(ReviewFixture.Rita)).ToString()), new("Reviewers", (await app.UserIdAsync(ReviewFixture.Rob)).ToString())]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var title = await connection.ExecuteScalarAsync<string>("SELECT Title FROM CalibrationSession WHERE CallId = @longCall", new { longCall });
        Assert.Equal(ColumnLimits.MaxLength("CalibrationSession", "Title"), title!.Length);
        Assert.EndsWith("…", title);
    }

    [Fact]
    public async Task Category_LongNameMakesACodeThatFitsItsKey()
    {
        var admin = await app.AdminAsync();
        var name = "Did not " + new string('x', 92);

        var response = await admin.PostFormAsync("/admin/categories", [new("Name", name), new("Description", "long")]);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{(int)response.StatusCode}");
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var code = await connection.ExecuteScalarAsync<string>("SELECT Code FROM NeedCategory WHERE Name = @name", new { name });
        Assert.Equal(ColumnLimits.MaxLength("NeedCategory", "Code"), code!.Length);
    }

    [Theory]
    [InlineData("title", 401)]
    [InlineData("agent", 201)]
    [InlineData("externalRef", 201)]
    [InlineData("tags", 101)]
    public async Task ImportCall_MetadataLongerThanItsColumn_IsRefusedNamingTheField(string field, int length)
    {
        var text = new string('m', length);
        var metadata = field switch
        {
            "title" => new ImportCall.Metadata { Title = text },
            "agent" => new ImportCall.Metadata { Agent = text },
            "externalRef" => new ImportCall.Metadata { ExternalRef = text },
            _ => new ImportCall.Metadata { Tags = ["ok", text] },
        };
        using var scope = app.Services.CreateScope();
        await using var audio = File.OpenRead(TestData.Audio("jfk.wav"));

        var ex = await Assert.ThrowsAsync<ImportCall.MetadataRejectedException>(() =>
            scope.ServiceProvider.GetRequiredService<ImportCall.Handler>().ImportAsync(audio, "jfk.wav", metadata, null, CancellationToken.None));

        Assert.Equal(field, ex.Field);
    }

    /// <summary>
    /// Found from the app's controllers, so a number added to any form later is held to this too. An int cannot
    /// overflow while it is bound (too large is a binding error); it needs a range where arithmetic follows (a page).
    /// </summary>
    [Fact]
    public void EveryFractionalOrLongInput_HasARange()
    {
        var unchecked_ = new List<string>();
        foreach (var action in typeof(InputLimits).Assembly.GetTypes()
                     .Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract)
                     .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
        {
            foreach (var parameter in action.GetParameters().Where(p => p.GetCustomAttribute<FromServicesAttribute>() is null))
            {
                if (IsNumber(parameter.ParameterType) && !IsId(parameter.Name!) && !HasRange(parameter.GetCustomAttributes<ValidationAttribute>()))
                    unchecked_.Add($"{action.DeclaringType!.Name}.{action.Name}({parameter.Name})");
                unchecked_.AddRange(UncheckedProperties(parameter.ParameterType, [], 0));
            }
        }
        Assert.Empty(unchecked_.Distinct());
    }

    [Fact]
    public void EveryFitsColumn_NamesAColumnOfTheSqlServerSchema()
    {
        var attributes = typeof(InputLimits).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties().SelectMany(p => p.GetCustomAttributes<FitsColumnAttribute>()))
            .ToList();
        Assert.NotEmpty(attributes);
        foreach (var attribute in attributes)
            Assert.True(attribute.MaxLength > 0, $"{attribute.Table}.{attribute.Column}");
    }

    private static IEnumerable<string> UncheckedProperties(Type type, HashSet<Type> seen, int depth)
    {
        var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : type;
        if (element.Assembly != typeof(InputLimits).Assembly || element.IsEnum || depth > 3 || !seen.Add(element))
            yield break;
        foreach (var property in element.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (IsNumber(property.PropertyType) && !IsId(property.Name) && !HasRange(property.GetCustomAttributes<ValidationAttribute>()))
                yield return $"{element.FullName}.{property.Name}";
            foreach (var nested in UncheckedProperties(property.PropertyType, seen, depth + 1))
                yield return nested;
        }
    }

    private static bool IsNumber(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(long) || t == typeof(decimal) || t == typeof(double) || t == typeof(float);
    }

    private static bool IsId(string name) => name.EndsWith("Id", StringComparison.OrdinalIgnoreCase);

    private static bool HasRange(IEnumerable<ValidationAttribute> attributes) => attributes.Any(a => a is RangeAttribute);
}
