using System.Text.Json;

namespace Dockerless.Cli.Output;

/// <summary>Data on stdout: plain lines, or JSON with --json.</summary>
internal static class DataOutput
{
    /// <summary>
    /// Writes items as they arrive, one per line, so a long listing shows at once and holds no
    /// memory; with --json they are collected first, so that a failure leaves no half-written array.
    /// </summary>
    public static async Task WriteListAsync(CliContext context, IAsyncEnumerable<string> items)
    {
        if (context.Json)
        {
            var all = new List<string>();
            await foreach (var item in items) all.Add(item);
            await WriteListAsync(context, all);
            return;
        }
        await foreach (var item in items) await context.Out.WriteLineAsync(item);
    }

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
