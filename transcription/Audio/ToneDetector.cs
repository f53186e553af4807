namespace CallReview.Transcription.Audio;

/// <summary>
/// The seconds of a recording in which a steady tone of one frequency sounds: a telephone system's hold tone or the
/// beep it repeats while a caller waits. The Goertzel algorithm measures the frequency's power in 50 ms blocks; a block
/// has the tone when that power is most of the block's energy, and a tone counts once it lasts 200 ms, so a vowel's
/// harmonic passing through the frequency does not. Fed 16 kHz samples block by block, it keeps none of them.
/// </summary>
public sealed class ToneDetector
{
    /// <summary>50 ms at 16 kHz: a 20 Hz wide band around the frequency, 20 blocks a second.</summary>
    private const int BlockSamples = AudioDecoder.SampleRate / 20;
    private const int BlocksPerSecond = AudioDecoder.SampleRate / BlockSamples;
    private const int MinBlocks = 4;
    /// <summary>A pure tone puts all of its energy at its frequency; speech and noise spread theirs.</summary>
    private const double MinShare = 0.5;
    /// <summary>About −60 dBFS: quieter blocks are line hiss, whatever their spectrum.</summary>
    private const double MinRms = 0.001;

    private readonly double _coefficient;
    private readonly List<bool> _seconds = [];
    private double _s1, _s2, _energy;
    private int _inBlock, _block, _run;

    public ToneDetector(double frequencyHz)
    {
        if (frequencyHz <= 0 || frequencyHz >= AudioDecoder.SampleRate / 2.0)
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "A tone is between 0 Hz and half the 16 kHz sample rate.");
        _coefficient = 2 * Math.Cos(2 * Math.PI * frequencyHz / AudioDecoder.SampleRate);
    }

    /// <summary>Whether the tone sounds in each whole or started second fed so far (a last block under 50 ms is left out).</summary>
    public IReadOnlyList<bool> Seconds => _seconds;

    public void Add(ReadOnlySpan<float> samples)
    {
        foreach (var x in samples)
        {
            var s = x + _coefficient * _s1 - _s2;
            _s2 = _s1;
            _s1 = s;
            _energy += x * x;
            if (++_inBlock == BlockSamples)
                EndBlock();
        }
    }

    public static IReadOnlyList<bool> Detect(ReadOnlySpan<float> samples, double frequencyHz)
    {
        var detector = new ToneDetector(frequencyHz);
        detector.Add(samples);
        return detector.Seconds;
    }

    private void EndBlock()
    {
        // |X(f)|² of the block; a sine of amplitude A gives (A·N/2)² against an energy of A²·N/2, so the share is 1.
        var power = _s1 * _s1 + _s2 * _s2 - _coefficient * _s1 * _s2;
        var tone = _energy >= MinRms * MinRms * BlockSamples && 2 * power / (BlockSamples * _energy) >= MinShare;
        _run = tone ? _run + 1 : 0;
        var second = _block / BlocksPerSecond;
        while (_seconds.Count <= second)
            _seconds.Add(false);
        // The run's first blocks count from the moment it has lasted long enough.
        if (_run >= MinBlocks)
            for (var b = _run == MinBlocks ? _block - MinBlocks + 1 : _block; b <= _block; b++)
                _seconds[b / BlocksPerSecond] = true;
        _block++;
        (_s1, _s2, _energy, _inBlock) = (0, 0, 0, 0);
    }
}
