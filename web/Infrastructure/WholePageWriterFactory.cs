using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// Writes a rendered page to the response in one piece. Razor has the whole page in memory before it writes; MVC's
/// writer passes it on in 16 K-character chunks, each flushed to the socket on its own, so the review page (~75 KB)
/// cost five sends instead of one.
/// </summary>
public sealed class WholePageWriterFactory : IHttpResponseStreamWriterFactory
{
    private const int BufferChars = 128 * 1024;

    public TextWriter CreateWriter(Stream stream, Encoding encoding) =>
        new HttpResponseStreamWriter(stream, encoding, BufferChars, ArrayPool<byte>.Shared, ArrayPool<char>.Shared);
}
