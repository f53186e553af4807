namespace CallReview.Web.Infrastructure;

/// <summary>
/// Headers every response carries: pages, fragments, API answers, static files, redirects and error pages.
/// They are set as the response starts, so nothing later in the pipeline (the exception handler clears
/// headers) can leave one out.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from our own files (no inline script, handler attributes or eval in any view). Styles allow
    /// inline because wavesurfer.js draws the waveform in a shadow root with its own style element and sets
    /// style attributes; styles cannot run code.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "media-src 'self' blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            // Only over HTTPS: browsers ignore it over HTTP, and it must not pin a plain-HTTP installation.
            if (context.Request.IsHttps)
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
