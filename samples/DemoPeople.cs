using Bogus;

namespace CallReview.Samples;

/// <summary>Made-up agents for the demo, the same every time (fixed seed), with addresses on a reserved domain.</summary>
public static class DemoPeople
{
    public const string Domain = "demo.callreview.local";

    public sealed record Person(string DisplayName, string Email);

    public static IReadOnlyList<Person> Agents(int count, int seed)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var people = new List<Person>();
        while (people.Count < count)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var email = $"{Slug(first)}.{Slug(last)}@{Domain}";
            if (people.All(p => p.Email != email))
                people.Add(new Person($"{first} {last}", email));
        }
        return people;
    }

    private static string Slug(string name) => new(name.ToLowerInvariant().Where(char.IsAsciiLetter).ToArray());
}
