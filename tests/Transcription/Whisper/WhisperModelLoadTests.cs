using CallReview.Transcription;
using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

public sealed class WhisperModelLoadTests : IDisposable
{
    private readonly string _tempDir = Directory.CreateTempSubdirectory("callreview-whisper-").FullName;

    public WhisperModelLoadTests() => NativeRequirement.Require();

    public void Dispose() => Directory.Delete(_tempDir, recursive: true);

    [Theory]
    [InlineData("for-tests-ggml-tiny.en.bin", false)]
    [InlineData("for-tests-ggml-tiny.bin", true)]
    public void VocabOnlyModel_LoadsAndTranscribesWithoutCrashing(string name, bool multilingual)
    {
        using var model = WhisperModel.Load(TestData.Model(name));

        Assert.Equal(multilingual, model.IsMultilingual);
        var result = model.Transcribe(new float[16_000 * 2],
            new TranscriptionOptions { Language = "en", Threads = 2 });
        Assert.Equal("en", result.Language);
    }

    [Fact]
    public void MissingModel_ThrowsFileNotFoundWithThePath()
    {
        var path = Path.Combine(_tempDir, "no-such-model.bin");

        var error = Assert.Throws<FileNotFoundException>(() => WhisperModel.Load(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void CorruptModel_ThrowsWhisperExceptionWithNativeReason()
    {
        var path = Path.Combine(_tempDir, "corrupt.bin");
        var bytes = new byte[64 * 1024];
        new Random(42).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<WhisperException>(() => WhisperModel.Load(path));

        Assert.Equal(WhisperError.Load, error.Error);
        Assert.Contains(path, error.Message);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void EmptyFile_ThrowsWhisperException()
    {
        var path = Path.Combine(_tempDir, "empty.bin");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<WhisperException>(() => WhisperModel.Load(path));

        Assert.Equal(WhisperError.Load, error.Error);
    }

    [Fact]
    public void ModelPathWithNonAsciiCharacters_Loads()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_tempDir, "modèles-日本")).FullName;
        var path = Path.Combine(dir, "modèle.bin");
        File.Copy(TestData.Model("for-tests-ggml-tiny.en.bin"), path);

        using var model = WhisperModel.Load(path);

        Assert.Equal(path, model.Path);
        Assert.False(model.IsMultilingual);
    }

    [Fact]
    public void CorruptVadModel_ThrowsWhisperException()
    {
        var path = Path.Combine(_tempDir, "corrupt-vad.bin");
        File.WriteAllBytes(path, new byte[4096]);

        var error = Assert.Throws<WhisperException>(() => SileroSpeechDetector.Load(path));

        Assert.Equal(WhisperError.Load, error.Error);
        Assert.Contains(path, error.Message);
    }
}
