using System.Net;
using System.Net.Sockets;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>
/// An <see cref="HttpListener"/> on a free loopback port that hands every request to a handler on
/// its own task: the plumbing of the test servers (<see cref="TokenServer"/>, <see cref="LoopbackProxy"/>).
/// </summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    private LoopbackListener(HttpListener listener, int port, Func<HttpListenerContext, Task> handle)
    {
        _listener = listener;
        Port = port;
        _loop = Task.Run(() => AcceptLoopAsync(handle));
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>Starts listening on <c>http://127.0.0.1:PORT/</c> and serves each request with <paramref name="handle"/>.</summary>
    public static LoopbackListener Start(Func<HttpListenerContext, Task> handle)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackListener(listener, port, handle);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between probing and binding: try another.
                listener.Close();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync(Func<HttpListenerContext, Task> handle)
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => handle(context));
        }
    }

    /// <summary>Stops listening and waits for the accept loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop then Close makes the managed listener look the port up again, and
        // re-bind it, which fails when another process took the port in between.
        _listener.Close();
        await _loop;
    }
}
