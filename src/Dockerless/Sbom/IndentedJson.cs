using System.Text.Json;

namespace Dockerless.Sbom;

/// <summary>Writes one indented JSON document to a stream, flushed before it returns.</summary>
internal static class IndentedJson
{
    public static async Task WriteAsync(Stream destination, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        await using (json.ConfigureAwait(false))
        {
            write(json);
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
