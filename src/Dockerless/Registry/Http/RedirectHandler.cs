using System.Net;

namespace Dockerless.Distribution;

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
                throw new HttpRequestException($"more than {MaxRedirects} redirects from {LoggingHandler.Redact(request.RequestUri)}");
            }
            var target = Target(request, location);
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
    /// Where a redirect of <paramref name="request"/> leads. One that does not resolve, or leads
    /// anywhere but http or https (where the transport would throw <see cref="NotSupportedException"/>),
    /// is an <see cref="HttpRequestException"/>, as the registry client reports a failed request.
    /// </summary>
    private static Uri Target(HttpRequestMessage request, Uri location)
    {
        Uri? target = location;
        if (!location.IsAbsoluteUri && !Uri.TryCreate(request.RequestUri!, location, out target))
        {
            throw new HttpRequestException($"a redirect from {LoggingHandler.Redact(request.RequestUri)} names no URI");
        }
        return target.Scheme is "http" or "https" ? target
            : throw new HttpRequestException($"a redirect from {LoggingHandler.Redact(request.RequestUri)} leads to a {target.Scheme}: URI, not http or https");
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
