namespace Dockerless.Distribution.Http;

/// <summary>The caller's transport (<see cref="RegistryOptions.HttpHandler"/>): requests go through it, and the caller, not the registry client, disposes it.</summary>
internal sealed class BorrowedHandler(HttpMessageHandler inner) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => _invoker.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _invoker.Dispose();
        base.Dispose(disposing);
    }
}
