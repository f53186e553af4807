using System.Net;
using System.Text.RegularExpressions;

namespace CallReview.Tests.Web.Features.Admin;

/// <summary>What an admin does through the pages: create teams and users.</summary>
public static class AdminClient
{
    public static async Task<int> CreateTeamAsync(this HttpClient admin, string name)
    {
        var response = await admin.PostFormAsync("/admin/teams", [new("Name", name)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await admin.GetStringAsync("/admin/users/new");
        var match = Regex.Match(html, $"name=\"TeamIds\" value=\"(\\d+)\"[^>]*/> {Regex.Escape(name)}<");
        Assert.True(match.Success, $"team {name} not offered on the user form");
        return int.Parse(match.Groups[1].Value);
    }

    public static async Task CreateUserAsync(this HttpClient admin, string email, string name, string password, string[] roles, params int[] teamIds)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Email", email), new("DisplayName", name), new("Password", password) };
        fields.AddRange(roles.Select(r => new KeyValuePair<string, string>("Roles", r)));
        fields.AddRange(teamIds.Select(t => new KeyValuePair<string, string>("TeamIds", t.ToString())));
        var response = await admin.PostFormAsync("/admin/users/save", fields, "/admin/users/new");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"creating {email} failed: {await response.Content.ReadAsStringAsync()}");
    }
}
