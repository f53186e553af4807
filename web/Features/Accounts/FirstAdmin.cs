using System.Security.Cryptography;

namespace CallReview.Web.Features.Accounts;

/// <summary>
/// On a database with no users, creates the first admin from <c>CallReview:Admin:Email</c>/<c>Password</c>,
/// or with a one-time password printed once to the log, to be changed at first sign-in.
/// </summary>
public sealed class FirstAdmin(AccountStore accounts, IConfiguration configuration, ILogger<FirstAdmin> logger)
{
    public const string DefaultEmail = "admin@callreview.local";

    public async Task EnsureAsync(CancellationToken ct)
    {
        if (await accounts.AnyUserAsync(ct))
            return;
        var email = configuration["CallReview:Admin:Email"] is { Length: > 0 } e ? e : DefaultEmail;
        var password = configuration["CallReview:Admin:Password"];
        var oneTime = string.IsNullOrEmpty(password);
        if (oneTime)
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
        await accounts.CreateAsync(new NewAccount(email, "Administrator", password!, [Roles.Admin], [], MustChangePassword: oneTime), ct);
        if (oneTime)
            logger.LogWarning("First run: created admin {Email} with one-time password {Password} (shown once; change it at first sign-in)", email, password);
        else
            logger.LogInformation("First run: created admin {Email} from configuration", email);
    }
}
