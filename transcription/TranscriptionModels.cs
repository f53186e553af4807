namespace CallReview.Transcription;

/// <summary>
/// The whisper model and the speech detector a call is transcribed with, perhaps still loading: a pass that loads its own
/// (the benchmark and the <c>transcribe</c> command, as whisper-cli loads its model) has ffmpeg decode while they load,
/// which takes about as long, on the other core. <see cref="CallTranscriber"/> waits for each where it first needs it (the
/// speech detector at a long call's first window, else at the end of decoding; whisper at the first pack or language
/// detection), and a load's error is the call's. A worker's models, loaded once per process, are given as they are.
/// </summary>
public sealed class TranscriptionModels : IAsyncDisposable
{
    private readonly bool _owned;

    private TranscriptionModels(Task<ITranscriptionEngine> engine, Task<ISpeechDetector> speech, bool owned)
    {
        Engine = engine;
        Speech = speech;
        Loading = Task.WhenAll(engine, speech);
        _owned = owned;
    }

    public Task<ITranscriptionEngine> Engine { get; }

    public Task<ISpeechDetector> Speech { get; }

    /// <summary>Done once both loads have finished; faulted with a load's error if either failed.</summary>
    public Task Loading { get; }

    /// <summary>Models the caller keeps and frees (a worker's, shared by its jobs).</summary>
    public static TranscriptionModels Loaded(ITranscriptionEngine engine, ISpeechDetector speech) =>
        new(Task.FromResult(engine), Task.FromResult(speech), owned: false);

    /// <summary>
    /// Starts loading both now, side by side, each on a thread of its own (not the pool's, which reads ffmpeg's samples
    /// meanwhile); disposing waits for both and frees them. <paramref name="options"/>' stages and timeline hear of each load.
    /// </summary>
    public static TranscriptionModels Load(Func<ITranscriptionEngine> engine, Func<ISpeechDetector> speech, TranscriptionOptions options) =>
        new(Start("loading the whisper model", engine, options), Start("loading the speech detector", speech, options), owned: true);

    private static Task<T> Start<T>(string what, Func<T> load, TranscriptionOptions options) =>
        Task.Factory.StartNew(() =>
        {
            var loading = TranscriptionStages.Now();
            var loaded = load();
            options.Stages?.AddSince(TranscriptionStages.Stage.ModelLoad, loading);
            options.Timeline?.Add(what, loading.Clock);
            return loaded;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        if (!_owned)
            return;
        try
        {
            // A broken file fails the call while the models may still be loading: what loads is freed all the same.
            await Loading;
        }
        catch (Exception) when (Loading.IsFaulted)
        {
            // The load's error was the call's (CallTranscriber awaits it), or came after the call had failed of its own.
        }
        if (Engine.IsCompletedSuccessfully)
            (Engine.Result as IDisposable)?.Dispose();
        if (Speech.IsCompletedSuccessfully)
            (Speech.Result as IDisposable)?.Dispose();
    }
}
