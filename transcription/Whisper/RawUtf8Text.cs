using System.Runtime.InteropServices;
using System.Text;
using Whisper.net;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// Segment text as whisper.cpp's bytes, made into text only once all segments of a run are known.
/// whisper's tokens are byte pieces: a character of Italian, Romanian, Czech or Hebrew can end one segment
/// and finish at the start of the next, and decoding each segment alone turns both halves into U+FFFD.
/// </summary>
public static class RawUtf8Text
{
    /// <summary>Hands Whisper.net each native string byte for byte (one Latin-1 char per byte), undecoded.</summary>
    public static IStringPool Pool { get; } = new BytePool();

    // Bytes that still do not form a character after the join are dropped, never shown as U+FFFD.
    private static readonly Encoding Utf8 = Encoding.GetEncoding("utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(""));

    /// <summary>
    /// Decodes segments whose text came through <see cref="Pool"/>. A segment boundary inside a character
    /// moves past it, so the character stays whole with the segment it starts in; whisper's non-speech
    /// markers are taken out and segments left without words are dropped. Timed words are decoded one by one (a
    /// word starts at a token led by a space, which no character straddles).
    /// </summary>
    public static IReadOnlyList<TranscribedSegment> Decode(IEnumerable<(double Start, double End, string Raw, IReadOnlyList<TimedWord>? Words)> segments)
    {
        var list = segments.ToList();
        var bytes = new List<byte>();
        var bounds = new List<int>();
        foreach (var segment in list)
        {
            bytes.AddRange(Encoding.Latin1.GetBytes(segment.Raw));
            bounds.Add(bytes.Count);
        }
        var all = CollectionsMarshal.AsSpan(bytes);
        var result = new List<TranscribedSegment>(list.Count);
        var from = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var to = Math.Max(from, bounds[i]);
            while (to < all.Length && IsContinuation(all[to]))
                to++;
            var text = NonSpeechMarkers.Remove(Utf8.GetString(all[from..to]));
            if (text.Length > 0)
                result.Add(new TranscribedSegment(list[i].Start, list[i].End, text,
                    list[i].Words?.Select(w => w with { Text = Utf8.GetString(Encoding.Latin1.GetBytes(w.Text)) }).ToList()));
            from = to;
        }
        return result;
    }

    /// <summary>10xxxxxx: the second, third or fourth byte of a UTF-8 character.</summary>
    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    private sealed unsafe class BytePool : IStringPool
    {
        public string? GetStringUtf8(nint nativePointer) =>
            nativePointer == 0 ? null : Encoding.Latin1.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)nativePointer));

        public void ReturnString(string? returnedString)
        {
            // Nothing is pooled: each string belongs to its segment.
        }
    }
}
