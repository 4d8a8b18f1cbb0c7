using System.Net;

namespace Dockerless.Distribution.Http;

/// <summary>
/// Follows redirects itself (the transport does not) so that the rule is explicit: the
/// Authorization header goes along only while scheme, host and port stay the same. Registries
/// redirect blob downloads to object storage, which must never see the registry's token. Only
/// http and https are followed.
/// </summary>
internal sealed class RedirectHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxRedirects = 10;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        for (var hops = 0; IsRedirect(response.StatusCode) && response.Headers.Location is { } location && CanFollow(request); hops++)
        {
            if (hops == MaxRedirects)
            {
                response.Dispose();
                throw new RedirectRefusedException(response.StatusCode, $"more than {MaxRedirects} redirects from {LoggingHandler.Redact(request.RequestUri)}");
            }
            if (Follow(request.RequestUri!, location, out var why) is not { } target)
            {
                response.Dispose();
                throw new RedirectRefusedException(response.StatusCode, $"a redirect from {LoggingHandler.Redact(request.RequestUri)} {why}");
            }
            var next = new HttpRequestMessage(response.StatusCode == HttpStatusCode.SeeOther ? HttpMethod.Get : request.Method, target);
            foreach (var header in request.Headers)
            {
                if (header.Key != "Authorization") next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            if (SameOrigin(request.RequestUri!, target) && request.Headers.Authorization is { } authorization) next.Headers.Authorization = authorization;
            foreach (var option in request.Options) ((IDictionary<string, object?>)next.Options)[option.Key] = option.Value;
            response.Dispose();
            request = next;
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }

    /// <summary>
    /// Where <paramref name="location"/> (a Location or Link target) leads from the URI
    /// <paramref name="requested"/>; null, with <paramref name="why"/> ("names no URI", "leads to a
    /// file: URI, not http or https"), when it cannot be followed: it does not resolve (<c>http:x</c>
    /// names a scheme and no host), or the transport would throw <see cref="NotSupportedException"/>
    /// for its scheme. A redirect that cannot be followed is a <see cref="RedirectRefusedException"/>,
    /// reported as a failed request and never retried.
    /// </summary>
    internal static Uri? Follow(Uri requested, Uri location, out string why)
    {
        if (!Uri.TryCreate(requested, location, out var target))
        {
            why = "names no URI";
            return null;
        }
        why = target.Scheme is "http" or "https" ? "" : $"leads to a {target.Scheme}: URI, not http or https";
        return why.Length == 0 ? target : null;
    }

    /// <summary>Only bodiless requests are replayed to a new location.</summary>
    private static bool CanFollow(HttpRequestMessage request) => request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    private static bool IsRedirect(HttpStatusCode status)
        => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Same scheme, host and port.</summary>
    internal static bool SameOrigin(Uri a, Uri b)
        => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;
}

/// <summary>
/// A redirect the client will not follow (more than the limit, to no URI, or to another scheme
/// than http or https): asking again gets the same answer, so it is not retried or resumed, and
/// it is reported with the redirect's status.
/// </summary>
internal sealed class RedirectRefusedException(HttpStatusCode status, string message) : HttpRequestException(message)
{
    /// <summary>The redirect's status (301, 302, 303, 307 or 308).</summary>
    public HttpStatusCode Status { get; } = status;
}
