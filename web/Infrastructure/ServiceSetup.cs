using System.Reflection;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Api;
using Htmx;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallReview.Web.Infrastructure;

public static class ServiceSetup
{
    public const string AntiforgeryHeader = "RequestVerificationToken";
    private const string SignedIn = "KeyOrCookie";

    public static void AddCallReview(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = CallReviewOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddSingleton(options);
        services.AddSingleton(options.Database);
        services.AddSingleton<IDbConnectionFactory, DbConnectionFactory>();
        services.AddSingleton<Migrator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Assets>();
        // Keys live with the data so sign-in cookies survive a restart.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));

        if (builder.Configuration.GetValue<bool>("CallReview:Logging:Json"))
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);

        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddScoped<AccountStore>();
        services.AddScoped<Sessions>();
        services.AddSingleton(sp => new SessionChecks(sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(builder.Configuration.GetValue("CallReview:Sessions:CheckSeconds", 30))));
        services.AddScoped<FirstAdmin>();
        services.AddScoped<ApiKeyStore>();
        services.AddScoped<CallReview.Web.Features.Calls.CallAccess>();
        services.AddScoped<CallReview.Web.Features.Exercises.ExerciseAccess>();
        services.AddScoped<CallReview.Web.Features.Practice.DiscussionAccess>();
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddScoped<CallReview.Web.Features.Audit.AuditLog>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Audit.VerifyAuditCommand>();
        services.AddTransient<ICliCommand, MigrateCommand>();
        services.AddTransient<ICliCommand, SeedDemoCommand>();
        services.AddTransient<IDemoSeeder, AccountsDemoSeeder>();
        services.AddTransient<IDemoSeeder, CallReview.Web.Features.Calls.SampleCallsDemoSeeder>();
        services.AddTransient<IDemoSeeder, CallReview.Web.Features.Practice.LearningDemoSeeder>();
        services.AddTransient<IDemoSeeder, CallReview.Web.Features.Trends.TrendsDemoSeeder>();
        services.AddScoped<CallReview.Web.Features.Trends.TrendHistory>();
        services.AddSingleton<CallReview.Web.Features.Trends.TrendFactStore>();
        services.AddSingleton<CallReview.Web.Features.Signals.SignalSettingsStore>();
        // The worker is a singleton: it gets its own instance of the (otherwise scoped) signals handler.
        services.AddSingleton<CallReview.Transcription.Jobs.ITranscriptFollowUp>(sp =>
            ActivatorUtilities.CreateInstance<CallReview.Web.Features.Signals.ComputeSignals.Handler>(sp));
        services.AddTransient<ICliCommand, CallReview.Web.Features.Trends.TrendsBenchmarkCommand>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Signals.SignalsBenchmarkCommand>();
        services.AddTransient<ICliCommand, ApiKeyCommand>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Calls.ImportCommand>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Calls.TranscribeCommand>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Calls.WorkerCommand>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Models.ModelsCommand>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Calls.BenchmarkCommand>();
        services.AddTransient<ICliCommand, CallReview.Web.Features.Calls.RedactionBenchmarkCommand>();
        services.AddTransient<ICliCommand, PerfCommand>();
        AddUseCaseHandlers(services);

        var mvcBuilder = services.AddControllersWithViews(mvc =>
            {
                mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                mvc.Filters.Add(new InputLimits.Filter());
            })
            .AddRazorOptions(razor => razor.ViewLocationExpanders.Add(new FeatureViewLocationExpander()));
        // Replaces MVC's 16 K-character writer (registered above).
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Mvc.Infrastructure.IHttpResponseStreamWriterFactory, WholePageWriterFactory>());
        services.AddCallReviewLocalization(mvcBuilder, builder.Configuration);
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "callreview.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            // SecurityHeaders denies framing on every response, not only on pages with forms.
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddProblemDetails();
        // Waveform peaks of a long call are megabytes of small numbers; compressed they are a tenth. Only JSON is
        // compressed: pages carry antiforgery tokens, which compression would expose to BREACH-style guessing.
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["application/json"];
        });
        // Calls come in Romanian, Italian…: write their letters as they are instead of as numeric entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        services.AddAuthentication(SignedIn)
            // Under /api a request with a key is the key's user everywhere, also where no action answers (an unknown
            // route, a wrong method or content type: 404/405/415, not 401); everything else is the browser's cookie.
            .AddPolicyScheme(SignedIn, null, scheme => scheme.ForwardDefaultSelector = http =>
                IsApi(http.Request) && http.Request.Headers.ContainsKey(ApiKeyAuthentication.Header)
                    ? ApiKeyAuthentication.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "callreview.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.LoginPath = "/account/login";
                cookie.AccessDeniedPath = "/account/denied";
                // Idle timeout; the absolute timeout is the server-side session's (Sessions).
                cookie.ExpireTimeSpan = Sessions.IdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = CookieValidation.ValidateAsync;
                // API clients get status codes, not a redirect to the sign-in page.
                cookie.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        // After the cookie handler's own post-configuration, which creates the format this wraps.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<SessionChecks, TimeProvider>((cookie, checks, clock) =>
                cookie.TicketDataFormat = new DecryptedTickets(cookie.TicketDataFormat, clock, checks.Lifetime));
        services.AddAuthorization(auth =>
        {
            Policies.Add(auth);
            auth.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });

        services.AddSingleton<SignInLimits>();

        services.AddCallReviewHealthChecks();
        services.AddTranscription(builder.Configuration, options);
    }

    public static void UseCallReview(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler("/error");
        // An error status without a body: ProblemDetails for the API, the app's page (re-executed) for people.
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseWhen(http => IsApi(http.Request), api => api.UseStatusCodePages(async ctx =>
            await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = ctx.HttpContext })));
        app.UseResponseCompression();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        // After authentication: the user's chosen language is a claim of their cookie.
        app.UseCallReviewLocalization();
        app.UseAuthorization();
        app.MapHealthEndpoint();
        app.MapControllers();
    }

    /// <summary>Serves, or runs the command named on the command line.</summary>
    public static async Task<int> RunCallReviewAsync(this WebApplication app, string[] args)
    {
        if (CommandLine.IsCommand(args))
            return await CommandLine.RunAsync(app.Services, args);
        try
        {
            await PrepareDatabaseAsync(app.Services, CancellationToken.None);
        }
        catch (DatabaseAheadException ex)
        {
            app.Logger.LogCritical("{Reason}", ex.Message);
            return 3;
        }
        catch (Exception ex) when (DataFolderFault.Describe(ex) is { } fault)
        {
            app.Logger.LogCritical("{Fault} ({DataDirectory}): CallReview cannot start. {Detail}",
                fault, app.Services.GetRequiredService<CallReviewOptions>().DataDirectory, ex.Message);
            return 4;
        }
        await app.RunAsync();
        return 0;
    }

    /// <summary>Before serving or running a command that uses the database: migrations, then the first admin.</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<FirstAdmin>().EnsureAsync(ct);
        await scope.ServiceProvider.GetRequiredService<CallReview.Web.Features.Trends.TrendFactStore>().EnsureCurrentAsync(ct);
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request) || ctx.Request.IsHtmx())
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Every use case's nested <c>Handler</c> class is a scoped service: adding a use case needs no registration.</summary>
    private static void AddUseCaseHandlers(IServiceCollection services)
    {
        foreach (var type in Assembly.GetExecutingAssembly().GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: true, Name: "Handler" }))
            services.AddScoped(type);
    }
}
