namespace Dockerless.Locations;

/// <summary>A temporary file deleted when its owner (an image reading it) is disposed.</summary>
internal sealed class TemporaryFile(string path) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        File.Delete(path);
        return ValueTask.CompletedTask;
    }
}
