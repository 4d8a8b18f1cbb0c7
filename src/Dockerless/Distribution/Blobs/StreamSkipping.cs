namespace Dockerless.Distribution.Blobs;

/// <summary>Moving forward in a stream that cannot seek.</summary>
internal static class StreamSkipping
{
    /// <summary>Reads and drops <paramref name="count"/> bytes; throws when the stream ends first.</summary>
    public static async Task SkipAsync(this Stream stream, long count, CancellationToken cancellationToken)
    {
        var scratch = new byte[81920];
        while (count > 0)
        {
            var n = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException($"the stream ended {count} bytes before the offset to skip to");
            count -= n;
        }
    }
}
