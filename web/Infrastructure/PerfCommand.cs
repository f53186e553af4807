using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// <c>perf [--seconds 20] [--connections 32] [--writers 20] [--write-seconds 10] [--only calls,review,crowded,post] [--keep]</c>: fills a scratch SQLite database (500 calls, a
/// 60-minute call with 100 annotations, a 60-minute call with 2,500), serves it with this same executable on Kestrel
/// as its own process, and measures with wrk the sign-in page, the calls list and both review pages, then 20
/// reviewers posting annotations on one call through the review page's form. Every page is printed beside its ratio to
/// the sign-in page measured in turns with it (<see cref="Wrk.Rounds"/> rounds of each), so a machine whose speed drifts
/// over minutes moves both alike, and the app's processor time per answer; each page is measured once its warm-ups serve
/// at a steady rate, the app's background compiling settled after each. <c>--only</c> measures
/// some of them (the sign-in page always), for A/B runs close in time on a shared machine.
/// </summary>
public sealed partial class PerfCommand(IPasswordHasher<UserAccount> hasher) : ICliCommand
{
    public const string Password = "perf-password-1";
    public const int ListedCalls = 500, Turns = 720, Annotations = 100, ManyAnnotations = 2_500;
    private const long HourMs = 3_600_000;

    public string Name => "perf";
    public string Usage => "perf [--seconds 20] [--connections 32] [--writers 20] [--write-seconds 10] [--only calls,review,crowded,post] [--keep]";

    /// <summary>What <c>--only</c> can name.</summary>
    private static readonly string[] Parts = ["calls", "review", "crowded", "post"];
    public bool UsesDatabase => false;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var seconds = Features.Calls.TranscriptionArguments.PositiveNumber(args, "--seconds", 20);
        var connections = Features.Calls.TranscriptionArguments.PositiveNumber(args, "--connections", 32);
        var writers = Features.Calls.TranscriptionArguments.PositiveNumber(args, "--writers", 20);
        // Its own length: every write adds an annotation to the one call, so a longer run measures a busier call.
        var writeSeconds = Features.Calls.TranscriptionArguments.PositiveNumber(args, "--write-seconds", 10);
        var only = (CommandLine.Option(args, "--only") ?? string.Join(',', Parts)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (only.Length == 0 || only.Except(Parts).FirstOrDefault() is { } unknown)
        {
            Console.Error.WriteLine($"--only takes a comma-separated list of {string.Join(", ", Parts)}");
            return 2;
        }
        var folder = Directory.CreateTempSubdirectory("callreview-perf-").FullName;
        try
        {
            using var db = new DbConnectionFactory(DatabaseOptions.Sqlite(folder));
            await new Migrator(db).MigrateAsync(ct);
            var scratch = await ScratchData.FillAsync(db, new AccountStore(db, hasher, TimeProvider.System, new SessionChecks(TimeProvider.System, TimeSpan.Zero)), writers, ct);
            Console.WriteLine($"scratch SQLite database {folder}: {ListedCalls} calls in the reviewer's team; call {scratch.ReviewCallId}: 60 min, " +
                              $"{Turns} transcript turns, {Annotations} annotations, a scorecard; call {scratch.CrowdedCallId}: 60 min, {Turns} turns, {ManyAnnotations:N0} annotations");

            using var app = AppUnderTest.Start(folder);
            await app.WaitUntilServingAsync(ct);
            var reviewer = await app.SignInAsync(ScratchData.ReviewerEmail, ct);
            var build = typeof(PerfCommand).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
                .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "?";
            Console.WriteLine($"app: {build} build serving {app.Url} as its own process; wrk {Wrk.Threads} threads, {connections} connections, " +
                              $"{seconds} s per page after {Wrk.WarmUpSeconds} s warm-ups until its rate is steady, the app's background compiling settled after each; {Environment.ProcessorCount} cores; load average before: {LoadAverage()}");
            if (build != "Release")
                Console.WriteLine("note: not a Release build; run `dotnet run --project web -c Release -- perf` for figures worth comparing");
            Console.WriteLine();
            var wrk = new Wrk(folder, seconds, connections);
            Console.WriteLine($"vs sign-in: the page's rate over the sign-in page's measured in turns with it ({Wrk.Rounds} rounds of {wrk.TurnSeconds} s each), shown last");
            Console.WriteLine();
            Console.WriteLine("what                                               req/s   p50 ms   p95 ms   p99 ms  KB/answer  vs sign-in  app CPU ms/answer  sign-in req/s");

            var signIn = await wrk.MeasureAsync(app, Wrk.SignInPath, cookie: null, ct);
            Print("sign-in page (Razor + antiforgery, no database)", signIn, signIn);
            var pages = new (string Part, string What, string Path, bool IsGoal)[]
            {
                ("calls", "calls list (50 of 500, reviewer)", "/calls", true),
                ("review", $"review page, 60 min, {Annotations} annotations", $"/review/{scratch.ReviewCallId}", true),
                ("crowded", $"review page, 60 min, {ManyAnnotations:N0} annotations", $"/review/{scratch.CrowdedCallId}", false),
            };
            var results = new List<(string What, Wrk.Result Result, Wrk.Result SignIn, bool IsGoal)>();
            foreach (var (_, what, path, isGoal) in pages.Where(p => only.Contains(p.Part)))
            {
                var (page, beside) = await wrk.MeasureInTurnsAsync(app, path, reviewer.Cookie, ct);
                results.Add((what, page, beside, isGoal));
                Print(what, page, beside, showSignIn: true);
            }

            var writes = only.Contains("post") ? await AnnotationWriters.RunAsync(app, scratch, db, writers, writeSeconds, ct) : null;
            if (writes is not null)
                Print($"annotation POST, {writers} writers on one call", writes.Result, signIn);
            Console.WriteLine();
            var sentIsStored = writes is not null && writes.Sent == writes.Acknowledged && writes.SameAsAcknowledged;
            if (writes is not null)
                Console.WriteLine($"annotation writes: {writes.Sent} sent, {writes.Acknowledged} acknowledged, {writes.Stored} stored" +
                                  (sentIsStored ? " (sent = stored: each acknowledged quote stored once, nothing else)" : " — MISMATCH"));
            Console.WriteLine($"load average after: {LoadAverage()}");
            Console.WriteLine();
            var failed = false;
            foreach (var (what, result, beside, isGoal) in results.Where(r => r.IsGoal))
            {
                var ok = result.RequestsPerSecond >= beside.RequestsPerSecond / 3 && result.P95Ms < 30;
                failed |= !ok;
                Console.WriteLine($"goal {what}: >= 1/3 of sign-in and p95 < 30 ms: {(ok ? "met" : "missed")}");
            }
            if (writes is not null)
            {
                var writesOk = writes.Result.P95Ms < 50 && sentIsStored;
                failed |= !writesOk;
                Console.WriteLine($"goal annotation POST p95 < 50 ms with sent = stored: {(writesOk ? "met" : "missed")}");
            }
            return failed ? 1 : 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (!CommandLine.Flag(args, "--keep"))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static void Print(string what, Wrk.Result r, Wrk.Result signIn, bool showSignIn = false) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-48} {r.RequestsPerSecond,8:0} {r.P50Ms,8:0.0} {r.P95Ms,8:0.0} {r.P99Ms,8:0.0} {r.KilobytesPerAnswer,10:0.0} {r.RequestsPerSecond / signIn.RequestsPerSecond,10:0.00}x {r.CpuMsPerAnswer,18:0.00}") +
            (showSignIn ? string.Create(CultureInfo.InvariantCulture, $" {signIn.RequestsPerSecond,14:0}") : ""));

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The scratch installation: a team, its reviewer and writers, calls with transcripts, annotations and a scorecard.</summary>
    public sealed record ScratchData(int ReviewCallId, int CrowdedCallId, IReadOnlyList<string> WriterEmails)
    {
        public const string ReviewerEmail = "reviewer@perf.local";

        private static readonly string[] Words =
            "thanks for calling how can I help you today my bill was charged twice this month and nobody called me back I can see the payment let me check that for you please hold"
                .Split(' ');

        public static async Task<ScratchData> FillAsync(IDbConnectionFactory db, AccountStore accounts, int writers, CancellationToken ct)
        {
            var now = DateTimeOffset.UtcNow;
            int teamId;
            await using (var connection = await db.OpenAsync(ct))
                teamId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Team", "Name, CreatedAt", "@name, @now"), new { name = "Perf Team", now });
            var reviewerId = await accounts.CreateAsync(new NewAccount(ReviewerEmail, "Perf Reviewer", Password, [Roles.Reviewer], [teamId]), ct);
            var writerEmails = Enumerable.Range(1, writers).Select(i => $"writer{i}@perf.local").ToList();
            var authors = new List<int> { reviewerId };
            foreach (var email in writerEmails)
                authors.Add(await accounts.CreateAsync(new NewAccount(email, $"Writer {email[6..email.IndexOf('@')]}", Password, [Roles.Reviewer], [teamId]), ct));

            await using var write = await db.OpenAsync(ct);
            await using var tx = await write.BeginTransactionAsync(ct);
            var random = new Random(DemoContext.RandomSeed);
            var callIds = new List<int>();
            for (var i = 0; i < ListedCalls; i++)
            {
                var duration = i < 2 ? HourMs : 60_000L + random.Next(600_000);
                var callId = await write.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Call",
                    "Title, TeamId, AgentName, StartedAt, Direction, Layout, DurationMs, Language, CreatedAt",
                    "@title, @teamId, @agent, @startedAt, 'inbound', 'agent-left', @duration, 'en', @now"),
                    new { title = $"Call {i + 1:000}", teamId, agent = $"Agent {i % 12:00}", startedAt = now.AddMinutes(-30 * i), duration, now }, tx);
                await write.ExecuteAsync(
                    """
                    INSERT INTO Recording (CallId, Sha256, OriginalFileName, OriginalPath, SizeBytes, Format, Codec, Channels, SampleRate, PlaybackPath, PeaksPath, CreatedAt)
                    VALUES (@callId, @sha, @file, @file, 1000000, 'mp3', 'mp3', 2, 8000, @file, @file, @now)
                    """, new { callId, sha = callId.ToString("x64", CultureInfo.InvariantCulture), file = $"perf-{callId}.mp3", now }, tx);
                await write.ExecuteAsync(
                    """
                    INSERT INTO TranscriptionJob (CallId, Status, Language, Attempts, MaxAttempts, Progress, CreatedAt, StartedAt, FinishedAt)
                    VALUES (@callId, 'done', 'en', 1, 3, 1, @now, @now, @now)
                    """, new { callId, now }, tx);
                callIds.Add(callId);
            }
            // The two 60-minute calls are the newest: the first two rows of the list.
            foreach (var callId in callIds.Take(2))
            {
                await write.ExecuteAsync(
                    "INSERT INTO Segment (CallId, Seq, Channel, Speaker, StartMs, EndMs, Text, Language) VALUES (@callId, @seq, @channel, @speaker, @start, @end, @text, 'en')",
                    Enumerable.Range(0, Turns).Select(t => new
                    {
                        callId, seq = t, channel = t % 2, speaker = t % 2 == 0 ? "agent" : "customer",
                        start = t * HourMs / Turns, end = (t + 1) * HourMs / Turns - 300,
                        text = string.Join(' ', Enumerable.Range(0, 12 + random.Next(14)).Select(_ => Words[random.Next(Words.Length)])),
                    }), tx);
            }
            var categories = (await write.QueryAsync<string>("SELECT Code FROM NeedCategory", transaction: tx)).ToList();
            foreach (var (callId, count) in new[] { (callIds[0], Annotations), (callIds[1], ManyAnnotations) })
            {
                await write.ExecuteAsync(
                    """
                    INSERT INTO Annotation (CallId, Kind, StartMs, EndMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt)
                    VALUES (@callId, @kind, @start, @end, @category, @severity, @quote, @expected, @author, @now, @now)
                    """,
                    Enumerable.Range(0, count).Select(a => (a, start: (long)random.Next((int)HourMs - 5_000))).Select(x => new
                    {
                        callId, kind = x.a % 4 == 3 ? "exemplary" : "unmet", x.start, end = x.a % 3 == 0 ? x.start + 4_000 : (long?)null,
                        category = categories[x.a % categories.Count], severity = x.a % 4 == 3 ? (int?)null : 1 + x.a % 3,
                        quote = "my bill was charged twice this month and nobody called me back", expected = "Apologise, refund the second charge and confirm by e-mail.",
                        author = authors[x.a % authors.Count], now,
                    }), tx);
            }
            var resultId = await write.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("ScorecardResult",
                "CallId, RubricVersionId, ReviewerUserId, Score, AutoFailed, Comment, CreatedAt, UpdatedAt",
                "@callId, 1, @reviewerId, 72.5, 0, 'Good recovery after a slow start.', @now, @now"), new { callId = callIds[0], reviewerId, now }, tx);
            await write.ExecuteAsync(
                "INSERT INTO ScorecardAnswer (ResultId, CriterionId, Points, Note, CitedAnnotationIds) SELECT @resultId, Id, 1, 'ok', '' FROM RubricCriterion WHERE RubricVersionId = 1",
                new { resultId }, tx);
            await tx.CommitAsync(ct);
            return new ScratchData(callIds[0], callIds[1], writerEmails);
        }
    }

    /// <summary>A signed-in browser: its cookies as one header, and the antiforgery token its pages carry.</summary>
    public sealed record Browser(HttpClient Http, string Cookie, string Token);

    /// <summary>This executable serving the scratch data folder on Kestrel, as its own process.</summary>
    private sealed class AppUnderTest : IDisposable
    {
        private readonly Process _process;

        public string Url { get; }

        public TimeSpan ProcessorTime
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        /// <summary>
        /// Waits (at most 20 s) until the idle app stops using the processor. The runtime recompiles hot code in the
        /// background, and under load on a small machine that compiler gets little time: measured straight after a
        /// warm-up, the sign-in page ran at a third of its settled rate, which flattered every ratio to it.
        /// </summary>
        public async Task SettleAsync(CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                var before = ProcessorTime;
                await Task.Delay(500, ct);
                if (ProcessorTime - before < TimeSpan.FromMilliseconds(25))
                    return;
            }
        }

        private AppUnderTest(Process process, string url) => (_process, Url) = (process, url);

        public static AppUnderTest Start(string dataDirectory)
        {
            var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            listener.Stop();
            var executable = Environment.ProcessPath!;
            var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory.GetCurrentDirectory() };
            if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
                info.ArgumentList.Add(typeof(PerfCommand).Assembly.Location);
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add(url);
            info.Environment["CallReview__DataDirectory"] = dataDirectory;
            info.Environment["CallReview__Worker__Enabled"] = "false";
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("app: " + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new AppUnderTest(process, url);
        }

        public async Task WaitUntilServingAsync(CancellationToken ct)
        {
            using var http = new HttpClient { BaseAddress = new Uri(Url) };
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"the app exited with code {_process.ExitCode} while starting");
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException("the app never answered /healthz");
                try
                {
                    if ((await http.GetAsync("/healthz", ct)).StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)
                        return;
                }
                catch (HttpRequestException) { }
                await Task.Delay(200, ct);
            }
        }

        /// <summary>Signs in through the sign-in form like a browser and keeps the cookies it was given.</summary>
        public async Task<Browser> SignInAsync(string email, CancellationToken ct)
        {
            var cookies = new CookieContainer();
            var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(Url) };
            var form = await http.GetStringAsync("/account/login", ct);
            var signIn = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email, ["Password"] = Password, ["__RequestVerificationToken"] = FormToken().Match(form).Groups[1].Value,
            }), ct);
            if (signIn.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"signing in as {email} answered {(int)signIn.StatusCode}");
            // The token of a signed-in page is bound to the user.
            var page = await http.GetStringAsync("/calls", ct);
            return new Browser(http, cookies.GetCookieHeader(new Uri(Url)), MetaToken().Match(page).Groups[1].Value);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex MetaToken();

    [GeneratedRegex("id=\"annotations-cards\" name=\"cards\" value=\"([^\"]*)\"")]
    private static partial Regex CardsShown();

    /// <summary>wrk against one URL: warm-ups until the rate is steady, then the measured run; its Lua script prints the figures wrk itself does not (p95, bytes).</summary>
    private sealed class Wrk(string folder, int seconds, int connections)
    {
        public const int Threads = 2, WarmUpSeconds = 3, MaxWarmUps = 5;

        /// <param name="CpuMs">The app's processor time (all its threads) while measured: per answer, what a page costs, which a busy machine moves far less than its rate.</param>
        public sealed record Result(long Requests, double Seconds, long Bytes, double P50Ms, double P95Ms, double P99Ms, double CpuMs)
        {
            public double RequestsPerSecond => Requests / Seconds;
            public double KilobytesPerAnswer => Bytes / (double)Requests / 1024;
            public double CpuMsPerAnswer => CpuMs / Requests;

            /// <summary>Runs taken together: their answers over their time; of the latencies, the worst run's (percentiles do not add up).</summary>
            public static Result Of(IReadOnlyList<Result> runs) =>
                new(runs.Sum(r => r.Requests), runs.Sum(r => r.Seconds), runs.Sum(r => r.Bytes),
                    runs.Max(r => r.P50Ms), runs.Max(r => r.P95Ms), runs.Max(r => r.P99Ms), runs.Sum(r => r.CpuMs));
        }

        private const string Script =
            """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("PERF %d %d %d %.0f %.0f %.0f %d %d\n", summary.requests, summary.duration, summary.bytes,
                latency:percentile(50), latency:percentile(95), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
            end
            """;

        /// <summary>
        /// Measured runs of a page that alternate with runs of the sign-in page. Four of 5 s rather than two: with two, one
        /// run's ratio of the same build spread over 0.31–0.40 on this project's VM, and a page just over its line printed
        /// "missed" in a third of the runs.
        /// </summary>
        public const int Rounds = 4;

        /// <summary>The length of each of those runs: the page's seconds shared between its rounds.</summary>
        public int TurnSeconds => Math.Max(1, (int)Math.Round(seconds / (double)Rounds));

        public async Task<Result> MeasureAsync(AppUnderTest app, string path, string? cookie, CancellationToken ct)
        {
            var bytes = await WarmUpAsync(app, path, cookie, ct);
            return await RunMeasuredAsync(app, path, cookie, bytes, seconds, ct);
        }

        /// <summary>
        /// The page and the sign-in page (warmed up before) measured in turns, <see cref="Rounds"/> runs of each sharing the
        /// seconds, so that their ratio holds when the machine's speed drifts: on this project's VM the sign-in page's
        /// processor time per answer moved between 0.16 and 0.31 ms within minutes, and a ratio to one sign-in run measured
        /// minutes before the page moved with it.
        /// </summary>
        public async Task<(Result Page, Result SignIn)> MeasureInTurnsAsync(AppUnderTest app, string path, string cookie, CancellationToken ct)
        {
            var bytes = await WarmUpAsync(app, path, cookie, ct);
            var signInBytes = await CheckAsync(app, SignInPath, null, ct);
            var page = new List<Result>();
            var signIn = new List<Result>();
            for (var round = 0; round < Rounds; round++)
            {
                signIn.Add(await RunMeasuredAsync(app, SignInPath, null, signInBytes, TurnSeconds, ct));
                page.Add(await RunMeasuredAsync(app, path, cookie, bytes, TurnSeconds, ct));
            }
            return (Result.Of(page), Result.Of(signIn));
        }

        public const string SignInPath = "/account/login";

        /// <summary>The answer a browser gets, to check that wrk's answers are the page and not a redirect or an error: its length.</summary>
        private static async Task<int> CheckAsync(AppUnderTest app, string path, string? cookie, CancellationToken ct)
        {
            using var check = new HttpRequestMessage(HttpMethod.Get, app.Url + path);
            if (cookie is not null)
                check.Headers.Add("Cookie", cookie);
            using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
            var answer = await plain.SendAsync(check, ct);
            if (answer.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"GET {path} answered {(int)answer.StatusCode}");
            return (await answer.Content.ReadAsByteArrayAsync(ct)).Length;
        }

        private async Task<int> WarmUpAsync(AppUnderTest app, string path, string? cookie, CancellationToken ct)
        {
            var bytes = await CheckAsync(app, path, cookie, ct);
            // Tiered compilation keeps promoting a page's methods after its first warm-up (call counting starts once the
            // first compiles go quiet), so one warm-up leaves part of that work inside the measurement: warm up until two
            // rounds in a row serve within 5 % of each other.
            double? lastRate = null;
            for (var round = 0; round < MaxWarmUps; round++)
            {
                var (warmRequests, warmMicros, _, _, _, _, _, _) = await RunAsync(app.Url + path, cookie, WarmUpSeconds, ct);
                await app.SettleAsync(ct);
                var rate = warmRequests / (warmMicros / 1e6);
                if (lastRate is { } last && Math.Abs(rate - last) <= 0.05 * last)
                    break;
                lastRate = rate;
            }
            return bytes;
        }

        private async Task<Result> RunMeasuredAsync(AppUnderTest app, string path, string? cookie, int bytes, int duration, CancellationToken ct)
        {
            var cpu = app.ProcessorTime;
            var (requests, micros, total, p50, p95, p99, statusErrors, socketErrors) = await RunAsync(app.Url + path, cookie, duration, ct);
            cpu = app.ProcessorTime - cpu;
            if (statusErrors > 0 || socketErrors > 0)
                throw new InvalidOperationException($"GET {path}: {statusErrors} error statuses and {socketErrors} socket errors under load");
            // Headers aside, every answer should be the page: far fewer bytes means wrk was redirected.
            if (total / (double)requests < bytes)
                throw new InvalidOperationException($"GET {path}: {total / requests} bytes per answer under load, the page is {bytes}");
            return new Result(requests, micros / 1e6, total, p50 / 1000, p95 / 1000, p99 / 1000, cpu.TotalMilliseconds);
        }

        private async Task<(long, long, long, double, double, double, long, long)> RunAsync(string url, string? cookie, int duration, CancellationToken ct)
        {
            var script = Path.Combine(folder, "perf.lua");
            await File.WriteAllTextAsync(script, Script, ct);
            var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-t", Threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                         "-d", $"{duration}s", "--timeout", "10s", "-s", script })
                info.ArgumentList.Add(arg);
            if (cookie is not null)
            {
                info.ArgumentList.Add("-H");
                info.ArgumentList.Add("Cookie: " + cookie);
            }
            info.ArgumentList.Add(url);
            Process process;
            try
            {
                process = Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new InvalidOperationException("wrk is not installed (Debian: apt-get install wrk)");
            }
            using (process)
            {
                var output = await process.StandardOutput.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("PERF ", StringComparison.Ordinal))
                           ?? throw new InvalidOperationException($"wrk printed no figures: {output}{await process.StandardError.ReadToEndAsync(ct)}");
                var f = line.Split(' ')[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                return ((long)f[0], (long)f[1], (long)f[2], f[3], f[4], f[5], (long)f[6], (long)f[7]);
            }
        }
    }

    /// <summary>
    /// Reviewers adding annotations to one call through the review page's form (htmx POST with the antiforgery
    /// header), each waiting for its answer before the next, like people do. A plain load loop rather than wrk, so
    /// every request sent is accounted for: each carries its own quote, and the stored quotes are compared after.
    /// Each sends the cards its page shows, as the panel does with every request (<c>cards</c>, hx-include): read from the
    /// page, then from each answer, which says what the page shows after it (only the new card's parts, or the whole
    /// panel when another writer's annotation changed the first cards since).
    /// </summary>
    private static class AnnotationWriters
    {
        /// <summary><paramref name="Stored"/> counts the stored annotations; <paramref name="SameAsAcknowledged"/> whether they are exactly the acknowledged ones.</summary>
        public sealed record Outcome(Wrk.Result Result, int Sent, int Acknowledged, int Stored, bool SameAsAcknowledged);

        public static async Task<Outcome> RunAsync(AppUnderTest app, ScratchData scratch, IDbConnectionFactory db, int writers, int seconds, CancellationToken ct)
        {
            var browsers = new List<Browser>();
            foreach (var email in scratch.WriterEmails.Take(writers))
                browsers.Add(await app.SignInAsync(email, ct));
            var latencies = new List<double>();
            var acknowledged = new List<string>();
            var failures = new List<string>();
            long bytes = 0;
            var sent = 0;

            // What each writer's page shows of each call, as its panel sends it.
            var shown = new System.Collections.Concurrent.ConcurrentDictionary<(Browser, int), string>();
            async Task OpenAsync(Browser browser, int callId) =>
                shown[(browser, callId)] = CardsShown().Match(await browser.Http.GetStringAsync($"/review/{callId}", ct)).Groups[1].Value;

            async Task<(string Quote, bool Ok, double Ms, long Bytes)> PostAsync(Browser browser, int callId)
            {
                var n = Interlocked.Increment(ref sent);
                var quote = $"perf write {n}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/review/{callId}/annotations")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["kind"] = "unmet", ["start"] = (n % 3500).ToString(CultureInfo.InvariantCulture), ["category"] = "timeliness", ["severity"] = "2",
                        ["quote"] = quote, ["expected"] = "Say how long the wait will be.", ["cards"] = shown[(browser, callId)],
                    }),
                };
                request.Headers.Add("HX-Request", "true");
                request.Headers.Add("RequestVerificationToken", browser.Token);
                var watch = Stopwatch.StartNew();
                using var response = await browser.Http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                var ms = watch.Elapsed.TotalMilliseconds;
                var ok = response.StatusCode == HttpStatusCode.OK && !body.Contains("role=\"alert\"", StringComparison.Ordinal);
                if (CardsShown().Match(body) is { Success: true } cards)
                    shown[(browser, callId)] = cards.Groups[1].Value;
                if (!ok)
                    lock (failures)
                        failures.Add($"{(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
                return (quote, ok, ms, body.Length);
            }

            foreach (var browser in browsers)
            {
                await OpenAsync(browser, scratch.CrowdedCallId);
                await OpenAsync(browser, scratch.ReviewCallId);
            }
            // Warm-up on the other call, so the measured run starts with the code paths compiled.
            await Task.WhenAll(browsers.Select(async b => { for (var i = 0; i < 3; i++) await PostAsync(b, scratch.CrowdedCallId); }));
            failures.Clear();
            sent = 0;
            await app.SettleAsync(ct);

            var cpu = app.ProcessorTime;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(browsers.Select(browser => Task.Run(async () =>
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
                {
                    var (quote, ok, ms, size) = await PostAsync(browser, scratch.ReviewCallId);
                    lock (latencies)
                    {
                        latencies.Add(ms);
                        bytes += size;
                        if (ok)
                            acknowledged.Add(quote);
                    }
                }
            }, ct)));
            var elapsed = clock.Elapsed.TotalSeconds;
            cpu = app.ProcessorTime - cpu;
            await using var check = await db.OpenAsync(ct);
            var stored = (await check.QueryAsync<string>("SELECT Quote FROM Annotation WHERE CallId = @callId AND Quote LIKE 'perf write %'",
                new { callId = scratch.ReviewCallId })).ToList();
            if (failures.Count > 0)
                Console.Error.WriteLine($"{failures.Count} writes failed, e.g. {failures[0]}");
            latencies.Sort();
            double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100 * latencies.Count) - 1)];
            return new Outcome(new Wrk.Result(latencies.Count, elapsed, bytes, Percentile(50), Percentile(95), Percentile(99), cpu.TotalMilliseconds),
                sent, acknowledged.Count, stored.Count, stored.Count == acknowledged.Count && stored.ToHashSet().SetEquals(acknowledged));
        }
    }
}
