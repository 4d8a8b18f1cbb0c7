using System.Diagnostics;
using System.Web;
using Microsoft.Extensions.Logging;

namespace Dockerless.Distribution.Http;

/// <summary>
/// Logs every request that reaches the network: method, URL without secrets, status and
/// duration. Query parameters outside a short list of protocol ones are masked, because
/// redirect targets (object storage) carry signatures there.
/// </summary>
internal sealed partial class LoggingHandler(ILogger logger, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly HashSet<string> PlainParameters = new(StringComparer.Ordinal) { "n", "last", "digest", "mount", "from", "service", "scope" };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var (url, milliseconds) = (Redact(request.RequestUri), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                LogResponse(logger, request.Method, url, (int)response.StatusCode, milliseconds);
            }
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var (url, milliseconds) = (Redact(request.RequestUri), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                LogFailure(logger, request.Method, url, e.Message, milliseconds);
            }
            throw;
        }
    }

    /// <summary>The URL without user info, and with every non-protocol query value masked.</summary>
    internal static string Redact(Uri? uri)
    {
        if (uri is null) return "";
        var left = uri.GetComponents(UriComponents.Scheme | UriComponents.HostAndPort | UriComponents.Path, UriFormat.UriEscaped);
        if (uri.Query.Length <= 1) return left;
        var query = HttpUtility.ParseQueryString(uri.Query);
        var parts = new List<string>();
        foreach (var key in query.AllKeys)
        {
            foreach (var value in query.GetValues(key) ?? [])
            {
                parts.Add(key is not null && PlainParameters.Contains(key) ? $"{key}={value}" : $"{key}=***");
            }
        }
        return left + "?" + string.Join('&', parts);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Url} -> {Status} in {Milliseconds:0} ms")]
    private static partial void LogResponse(ILogger logger, HttpMethod method, string url, int status, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Url} failed after {Milliseconds:0} ms: {Error}")]
    private static partial void LogFailure(ILogger logger, HttpMethod method, string url, string error, double milliseconds);
}
