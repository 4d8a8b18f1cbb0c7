namespace Dockerless.Tests.Distribution;

/// <summary>
/// Answers requests with a function, for the branches no reachable registry produces here
/// (Docker Hub's token flow, redirects to object storage). Records every request it saw.
/// </summary>
internal sealed class FakeHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri Uri, string? Authorization)> Seen { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Seen) Seen.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
        return Task.FromResult(answer(request));
    }
}
