using System.Reflection;
using System.Text;
using Whisper.net;
using Whisper.net.LibraryLoader;
using Whisper.net.Logger;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// Whisper.net's native runtime (whisper.cpp, from the Whisper.net.Runtime package): the facts about it,
/// probed once per process, and whisper.cpp's own error lines for the loads that fail.
/// </summary>
public static class WhisperRuntime
{
    // whisper_print_system_info() (WhisperFactory.GetRuntimeInfo) fills a static std::string: called from
    // concurrent requests it corrupts the heap and aborts the process. The facts cannot change while the
    // process runs, so they are read once.
    private static readonly Lazy<(bool Available, string Description)> Facts = new(ReadFacts, LazyThreadSafetyMode.ExecutionAndPublication);

    // whisper.cpp says why a load failed only in its log, on the loading thread.
    [ThreadStatic]
    private static StringBuilder? _errors;

    static WhisperRuntime()
    {
        LogProvider.AddLogger((level, line) =>
        {
            if (level == WhisperLogLevel.Error && _errors is { } errors && !string.IsNullOrWhiteSpace(line))
                errors.Append(errors.Length > 0 ? "; " : "").Append(line.Trim());
        });
    }

    /// <summary>
    /// Whether the native runtime loads, with Whisper.net's version and whisper.cpp's CPU features, or why
    /// not — probed once per process, so any number of callers (a health check per request) may ask at once.
    /// </summary>
    public static (bool Available, string Description) Probe() => Facts.Value;

    /// <summary>Throws a <see cref="WhisperException"/> saying why when the native runtime does not load.</summary>
    internal static void Require()
    {
        var (available, description) = Probe();
        if (!available)
            throw new WhisperException(WhisperError.LibraryUnavailable, description);
    }

    /// <summary>Runs a native load; its failure becomes a <see cref="WhisperException"/> with whisper.cpp's reason.</summary>
    internal static T Load<T>(Func<T> load, string what)
    {
        Require();
        _errors = new StringBuilder();
        try
        {
            return load();
        }
        catch (WhisperModelLoadException e)
        {
            var reason = _errors.Length > 0 ? _errors.ToString() : "no detail from whisper.cpp";
            throw new WhisperException(WhisperError.Load, $"failed to load {what}: {reason}", e);
        }
        finally
        {
            _errors = null;
        }
    }

    private static (bool Available, string Description) ReadFacts()
    {
        try
        {
            var system = WhisperFactory.GetRuntimeInfo()?.Trim();
            var version = typeof(WhisperFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
            return (true, $"Whisper.net {version} ({RuntimeOptions.LoadedLibrary} runtime); {system}");
        }
        catch (Exception e)
        {
            return (false, $"Whisper.net's native runtime did not load ({e.Message}); is the Whisper.net.Runtime package's " +
                "runtimes/ folder beside the app?");
        }
    }
}
