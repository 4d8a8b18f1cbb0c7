using System.Text.Json;

namespace Dockerless.Cli.Output;

/// <summary>Data on stdout: plain lines, or JSON with --json.</summary>
internal static class DataOutput
{
    public static async Task WriteListAsync(CliContext context, IEnumerable<string> items)
    {
        if (!context.Json)
        {
            foreach (var item in items) await context.Out.WriteLineAsync(item);
            return;
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var item in items) json.WriteStringValue(item);
            json.WriteEndArray();
        }
        await context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
