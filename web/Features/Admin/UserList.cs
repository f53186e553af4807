using CallReview.Db;
using Dapper;

namespace CallReview.Web.Features.Admin;

/// <summary>All users with their roles and teams, for the admin's users page.</summary>
public static class UserList
{
    public sealed class Row
    {
        public int Id { get; init; }
        public string Email { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public bool IsActive { get; init; }
        public DateTimeOffset? LastLoginAt { get; init; }
        public List<string> Roles { get; } = [];
        public List<string> Teams { get; } = [];
    }

    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var users = (await connection.QueryAsync<Row>(
                "SELECT Id, Email, DisplayName, IsActive, LastLoginAt FROM UserAccount ORDER BY DisplayName, Email"))
                .ToDictionary(u => u.Id);
            foreach (var (userId, role) in await connection.QueryAsync<(int, string)>("SELECT UserId, Role FROM UserRole ORDER BY Role"))
                users[userId].Roles.Add(role);
            foreach (var (userId, team) in await connection.QueryAsync<(int, string)>(
                         "SELECT m.UserId, t.Name FROM TeamMember m JOIN Team t ON t.Id = m.TeamId ORDER BY t.Name"))
                users[userId].Teams.Add(team);
            return users.Values.ToList();
        }
    }
}
