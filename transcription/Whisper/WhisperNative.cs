using System.Reflection;
using System.Runtime.InteropServices;

namespace CallReview.Transcription.Whisper;

/// <summary>Finds and loads libcallreview_whisper (with whisper.cpp beside it) and routes its log.</summary>
public static unsafe class WhisperNative
{
    /// <summary>Overrides every other place the native library is looked for.</summary>
    public const string NativeDirVariable = "CALLREVIEW_NATIVE_DIR";

    private static readonly object Gate = new();
    private static nint _library;
    private static bool _resolverSet;
    private static volatile bool _ready;
    private static string? _loadedFrom;
    private static Action<string>? _logSink;

    private static string FileName =>
        OperatingSystem.IsWindows() ? "callreview_whisper.dll"
        : OperatingSystem.IsMacOS() ? "libcallreview_whisper.dylib"
        : "libcallreview_whisper.so";

    // whisper_print_system_info() fills a static std::string: called from concurrent requests it corrupts the
    // heap and aborts the process. The facts cannot change while the process runs, so they are read once.
    private static readonly Lazy<(bool Available, string Description)> Facts = new(ReadFacts, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Whether the native library loads, and its whisper.cpp version and CPU features, or why not —
    /// probed once per process, so any number of callers (health checks on every request) may ask at once.
    /// </summary>
    public static (bool Available, string Description) Probe() => Facts.Value;

    private static (bool Available, string Description) ReadFacts()
    {
        try
        {
            EnsureLoaded();
            var version = Marshal.PtrToStringUTF8(NativeMethods.WhisperVersion());
            var system = Marshal.PtrToStringUTF8(NativeMethods.SystemInfo())?.Trim();
            return (true, $"whisper.cpp {version} from {_loadedFrom}; {system}");
        }
        catch (WhisperException e)
        {
            return (false, e.Message);
        }
    }

    /// <summary>Sends whisper.cpp's log lines to <paramref name="sink"/>; null (the default) drops them.</summary>
    public static void SetLog(Action<string>? sink)
    {
        EnsureLoaded();
        lock (Gate)
        {
            _logSink = sink;
            NativeMethods.SetLog(sink is null ? null : &OnLog, 0);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnLog(int level, byte* text, nint userData)
    {
        try
        {
            var line = Marshal.PtrToStringUTF8((nint)text)?.TrimEnd('\r', '\n');
            if (!string.IsNullOrEmpty(line))
                _logSink?.Invoke(line);
        }
        catch
        {
            // An exception must not unwind into native code; a lost log line is harmless.
        }
    }

    /// <summary>Loads the library once; throws a <see cref="WhisperException"/> saying where it looked if it cannot.</summary>
    internal static void EnsureLoaded()
    {
        if (_ready)
            return;
        lock (Gate)
        {
            if (_ready)
                return;
            var searched = new List<string>();
            foreach (var dir in CandidateDirectories())
            {
                var path = Path.Combine(dir, FileName);
                searched.Add(path);
                if (!File.Exists(path))
                    continue;
                if (!NativeLibrary.TryLoad(path, out var handle))
                    throw Unavailable($"{path} exists but failed to load (are the whisper/ggml libraries beside it?)");
                Register(handle, path);
                return;
            }
            throw Unavailable($"{FileName} not found; run transcription/native/build-whisper.sh " +
                $"or set {NativeDirVariable}. Looked in: {string.Join(", ", searched)}");
        }
    }

    private static void Register(nint handle, string path)
    {
        _library = handle;
        if (!_resolverSet)
        {
            // A resolver can be set once per assembly; it hands our loaded handle to every [LibraryImport].
            NativeLibrary.SetDllImportResolver(typeof(WhisperNative).Assembly, Resolve);
            _resolverSet = true;
        }
        var abi = NativeMethods.GetAbiVersion();
        if (abi != NativeMethods.AbiVersion)
        {
            throw Unavailable($"{path} has ABI version {abi}, this binding needs {NativeMethods.AbiVersion}; " +
                "rerun transcription/native/build-whisper.sh");
        }
        _loadedFrom = path;
        _ready = true;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == NativeMethods.Library ? _library : 0;

    private static IEnumerable<string> CandidateDirectories()
    {
        if (Environment.GetEnvironmentVariable(NativeDirVariable) is { Length: > 0 } overrideDir)
            yield return overrideDir;
        var baseDir = AppContext.BaseDirectory;
        yield return baseDir;
        yield return Path.Combine(baseDir, "native");
        // Running from a build of the source tree: use the build script's output.
        for (var dir = new DirectoryInfo(baseDir); dir is not null; dir = dir.Parent)
        {
            var lib = Path.Combine(dir.FullName, "transcription", "native", "lib");
            if (Directory.Exists(lib))
            {
                yield return lib;
                yield break;
            }
        }
    }

    private static WhisperException Unavailable(string message) => new(WhisperError.LibraryUnavailable, message);
}
