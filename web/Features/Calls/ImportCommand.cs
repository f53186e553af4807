using System.Text.Json;
using CallReview.Transcription.Audio;
using CallReview.Web.Infrastructure;
using CsvHelper;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// <c>import &lt;folder&gt; [--team T] [--agent A] [--layout L] [--language xx] [--tags a,b]</c>: imports every audio
/// file of a folder. An optional sidecar <c>calls.csv</c> or <c>calls.json</c> in the folder gives metadata per
/// file (columns/properties: file, title, agent, team, startedAt, direction, layout, externalRef, customerPhone, tags, language);
/// command-line options fill what the sidecar leaves empty. One bad file is reported and skipped.
/// </summary>
public sealed partial class ImportCommand(ImportCall.Handler import) : ICliCommand
{
    private static readonly string[] AudioExtensions = [".wav", ".mp3", ".m4a", ".ogg", ".opus", ".oga", ".flac", ".webm", ".aac", ".wma", ".amr"];

    public string Name => "import";
    public string Usage => "import <folder> [--team <name>] [--agent <name|email>] [--layout mono|agent-left|agent-right] [--language auto|xx] [--tags a,b]";

    [CsvRecord]
    public sealed partial class SidecarRow
    {
        public string File { get; set; } = "";
        [CsvColumn(Optional = true)]
        public string? Title { get; set; }
        [CsvColumn(Optional = true)]
        public string? Agent { get; set; }
        [CsvColumn(Optional = true)]
        public string? Team { get; set; }
        [CsvColumn(Optional = true)]
        public DateTimeOffset? StartedAt { get; set; }
        [CsvColumn(Optional = true)]
        public string? Direction { get; set; }
        [CsvColumn(Optional = true)]
        public string? Layout { get; set; }
        [CsvColumn(Optional = true)]
        public string? ExternalRef { get; set; }
        [CsvColumn(Optional = true)]
        public string? CustomerPhone { get; set; }
        [CsvColumn(Optional = true)]
        public string? Tags { get; set; }
        [CsvColumn(Optional = true)]
        public string? Language { get; set; }
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new CommandUsageException("missing the folder");
        var folder = CommandLine.UserPath(args[0]);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"no such folder: {folder}");
        var sidecar = ReadSidecar(folder);
        var files = Directory.EnumerateFiles(folder)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToList();
        int imported = 0, existing = 0, failed = 0;
        foreach (var file in files)
        {
            var row = sidecar.GetValueOrDefault(Path.GetFileName(file)) ?? new SidecarRow();
            var metadata = new ImportCall.Metadata
            {
                Title = row.Title,
                Agent = row.Agent ?? CommandLine.Option(args, "--agent"),
                Team = row.Team ?? CommandLine.Option(args, "--team"),
                StartedAt = row.StartedAt,
                Direction = row.Direction,
                Layout = row.Layout ?? CommandLine.Option(args, "--layout"),
                ExternalRef = row.ExternalRef,
                CustomerPhone = row.CustomerPhone,
                Tags = (row.Tags ?? CommandLine.Option(args, "--tags") ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Language = row.Language ?? CommandLine.Option(args, "--language"),
            };
            try
            {
                var result = await import.ImportFileAsync(file, metadata, importedBy: null, ct);
                Console.WriteLine($"{(result.AlreadyExisted ? "exists  " : "imported")} {Path.GetFileName(file)} -> call {result.CallId}");
                if (result.AlreadyExisted) existing++; else imported++;
            }
            catch (Exception ex) when (ex is AudioRejectedException or ImportCall.MetadataRejectedException)
            {
                Console.Error.WriteLine($"refused  {Path.GetFileName(file)}: {ex.Message}");
                failed++;
            }
        }
        Console.WriteLine($"{imported} imported, {existing} already there, {failed} refused");
        return failed > 0 && imported + existing == 0 ? 1 : 0;
    }

    private static Dictionary<string, SidecarRow> ReadSidecar(string folder)
    {
        var csv = Path.Combine(folder, "calls.csv");
        var json = Path.Combine(folder, "calls.json");
        IEnumerable<SidecarRow> rows = [];
        if (File.Exists(csv))
        {
            // Headers match the properties whatever their case ("startedAt", "StartedAt", "startedat").
            using var reader = CsvReader.FromFile(csv, new CsvReaderOptions { NormalizeHeaderName = name => name.Trim().ToLowerInvariant() });
            rows = reader.GetRecords<SidecarRow>().ToList();
        }
        else if (File.Exists(json))
        {
            rows = JsonSerializer.Deserialize<List<SidecarRow>>(File.ReadAllText(json), JsonSerializerOptions.Web) ?? [];
        }
        return rows.Where(r => !string.IsNullOrWhiteSpace(r.File)).ToDictionary(r => Path.GetFileName(r.File.Trim()), StringComparer.OrdinalIgnoreCase);
    }
}
