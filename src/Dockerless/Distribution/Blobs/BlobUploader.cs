using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Dockerless.Distribution.Blobs;

/// <summary>
/// Uploads one blob: POST a session (or a cross-repository mount), PATCH the bytes (all at once,
/// or in chunks of at least the registry's <c>OCI-Chunk-Min-Length</c>, following
/// <c>Location</c> after each), then PUT <c>?digest=</c>. When a PATCH fails it asks the session
/// for its <c>Range</c> and resumes from there; when the registry refuses that (distribution
/// answers BLOB_UPLOAD_INVALID after a cut PATCH), it starts a new session. A PATCH answered
/// 429 or 503 with <c>Retry-After</c> waits that long first; one refused for good (403, 404
/// NAME_UNKNOWN, 413, ...) fails the upload at once. A blob under
/// <see cref="BlobMover.SmallBlobSize"/> goes whole in the PUT instead (a monolithic upload).
/// </summary>
internal sealed class BlobUploader(RegistryApi api)
{
    private const int MaxSessions = 3;
    private const int MaxResumesPerSession = 3;
    private RegistryHttp Http => api.Http;

    /// <summary>The registry's <c>OCI-Chunk-Min-Length</c>, once it named one.</summary>
    private long _minChunk;

    /// <summary>Counts sessions started (tests use it to see the restart branch).</summary>
    internal int SessionsStarted;

    /// <summary>
    /// Asks the registry to mount <paramref name="digest"/> from <paramref name="fromRepository"/>:
    /// true when it did, false with an upload session when it did not, and false with none when it
    /// refused the mount itself (credentials that may push here but not pull there, a registry
    /// without mounts): the blob is then uploaded in a session of its own, as docker does.
    /// </summary>
    public async Task<(bool Mounted, Uri? Session)> TryMountAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        using var response = await Http.SendAsync("mount blob", repository,
            b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"v2/{repository}/blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromRepository)}")),
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created) return (true, null);
        if (!response.IsSuccessStatusCode)
        {
            if (RegistryHttp.IsTransient(response.StatusCode)) throw await Http.ErrorAsync(response, "mount blob", repository, digest.ToString(), cancellationToken).ConfigureAwait(false);
            return (false, null);
        }
        Interlocked.Increment(ref SessionsStarted);
        return (false, await LocationAsync(response, repository, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Uploads the blob read from <paramref name="openSource"/>, resuming or restarting after
    /// failures; <paramref name="slot"/> is held while bytes are sent and given back for the final PUT.
    /// When <paramref name="rereadOnMismatch"/> (the source is a registry), bytes that fail their
    /// digest are read again into a new session (<see cref="RegistryOptions.RereadsAfterMismatch"/>):
    /// they were damaged on the way to us, and the registry was never asked to commit them.
    /// </summary>
    public async Task UploadAsync(string repository, Descriptor blob, Func<CancellationToken, Task<Stream>> openSource, Uri? session, TransferSlot slot, bool rereadOnMismatch, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var (refusals, rereads) = (0, 0);
        while (true)
        {
            session ??= await StartAsync(repository, cancellationToken).ConfigureAwait(false);
            try
            {
                await UploadSessionAsync(repository, blob, openSource, session, slot, progress, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DigestMismatchException) when (rereadOnMismatch && rereads < Http.Options.RereadsAfterMismatch)
            {
                rereads++;
            }
            catch (UploadRefusedException e)
            {
                if (++refusals == MaxSessions)
                {
                    var cause = e.Find<RegistryException>();
                    throw new RegistryException("upload blob", Http.Endpoint.Host, repository, cause?.StatusCode, cause?.Code,
                        $"{blob.Digest}: the upload failed in {MaxSessions} sessions: {(cause ?? e.InnerException)?.Message}", e.InnerException);
                }
            }
            session = null;
        }
    }

    private async Task UploadSessionAsync(string repository, Descriptor blob, Func<CancellationToken, Task<Stream>> openSource, Uri location, TransferSlot slot, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (blob.Size < BlobMover.SmallBlobSize && blob.Size <= (Http.Options.ChunkSize ?? long.MaxValue))
        {
            await PutWholeAsync(repository, blob, openSource, location, progress, cancellationToken).ConfigureAwait(false);
            return;
        }
        await slot.TakeAsync(cancellationToken).ConfigureAwait(false);
        long offset = 0;
        for (var resume = 0; ; resume++)
        {
            try
            {
                location = await SendBytesAsync(repository, blob, openSource, location, offset, progress, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (IsResumable(e) && !cancellationToken.IsCancellationRequested)
            {
                // Asking the session's status at once would only be refused too: the registry said when to come back.
                if (e is UploadFailedException { Wait: { } wait }) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                if (resume == MaxResumesPerSession) throw new UploadRefusedException(e);
                (location, offset) = await StatusAsync(repository, location, cancellationToken).ConfigureAwait(false);
            }
        }
        slot.Release();
        using var done = await Http.SendAsync("complete upload", repository,
            _ => new HttpRequestMessage(HttpMethod.Put, WithDigest(location, blob.Digest)), cancellationToken).ConfigureAwait(false);
        if (!done.IsSuccessStatusCode)
        {
            throw await Http.ErrorAsync(done, "complete upload", repository, cancellationToken).ConfigureAwait(false);
        }
        RequireStoredAsSent(done, "complete upload", repository, blob);
    }

    /// <summary>
    /// A registry that says it committed another digest than the one sent (its
    /// <c>Docker-Content-Digest</c>) stored other bytes, or stored them under another name: the
    /// manifest pushed next would name a blob the registry does not have. containerd refuses it
    /// too. A digest of another algorithm says nothing about this one, and none is no claim.
    /// </summary>
    private void RequireStoredAsSent(HttpResponseMessage response, string operation, string repository, Descriptor blob)
    {
        if (!response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            || !Digest.TryParse(values.FirstOrDefault(), out var stored)
            || stored.Algorithm != blob.Digest.Algorithm
            || stored == blob.Digest)
        {
            return;
        }
        throw new RegistryException(operation, Http.Endpoint.Host, repository, response.StatusCode, null,
            $"{blob.Digest}: the registry answered that it stored {stored}");
    }

    /// <summary>
    /// Sends a small blob in the PUT that completes its session: one round trip fewer than PATCH
    /// then PUT, and one fsync fewer for distribution (it stores a session's hash state after each
    /// PATCH). The bytes are read and verified first, so the registry is never asked to commit bad
    /// ones, and the PUT can be sent again as it is after a transient failure.
    /// </summary>
    private async Task PutWholeAsync(string repository, Descriptor blob, Func<CancellationToken, Task<Stream>> openSource, Uri location, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var bytes = new byte[blob.Size];
        var source = await openSource(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            Stream reading = progress is null ? source : new ProgressStream(source, blob.Digest, blob.Size, progress);
            await reading.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            await EnsureEndAsync(reading, blob, cancellationToken).ConfigureAwait(false);
        }
        using var done = await Http.SendAsync("upload blob", repository, _ =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Put, WithDigest(location, blob.Digest)) { Content = content };
        }, cancellationToken).ConfigureAwait(false);
        if (!done.IsSuccessStatusCode)
        {
            // The retry pipeline has had its transient answers. The session's own refusals, and
            // bytes damaged on the way, may go through in a new session; any other would repeat.
            var error = await Http.ErrorAsync(done, "upload blob", repository, blob.Digest.ToString(), cancellationToken).ConfigureAwait(false);
            throw RefusesSession(error.Code) || error.Code == "DIGEST_INVALID" ? new UploadRefusedException(error) : error;
        }
        RequireStoredAsSent(done, "upload blob", repository, blob);
    }

    /// <summary>
    /// Reads past the announced size: a verifying source checks its digest there, and a source
    /// with more bytes than announced is refused.
    /// </summary>
    private static async Task EnsureEndAsync(Stream reading, Descriptor blob, CancellationToken cancellationToken)
    {
        if (await reading.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new DigestMismatchException($"blob {blob.Digest}", blob.Digest, blob.Digest, blob.Size, blob.Size + 1);
        }
    }

    /// <summary>PATCHes the bytes from <paramref name="offset"/> on; returns the session's last Location.</summary>
    private async Task<Uri> SendBytesAsync(string repository, Descriptor blob, Func<CancellationToken, Task<Stream>> openSource, Uri location, long offset, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (offset >= blob.Size) return location;
        var source = await openSource(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.SkipAsync(offset, cancellationToken).ConfigureAwait(false);
            Stream reading = progress is null ? source : new ProgressStream(source, blob.Digest, blob.Size, progress, offset);
            var chunk = Http.Options.ChunkSize is { } asked ? Math.Max(asked, Interlocked.Read(ref _minChunk)) : blob.Size;
            while (offset < blob.Size)
            {
                var length = Math.Min(chunk, blob.Size - offset);
                var start = offset;
                var target = location;
                using var response = await Http.SendAsync("upload blob", repository, _ =>
                {
                    var content = new StreamContent(new SliceStream(reading, length), BlobCopy.BufferSize);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    content.Headers.ContentLength = length;
                    if (length < blob.Size) content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
                    return new HttpRequestMessage(HttpMethod.Patch, target) { Content = content };
                }, cancellationToken, replayable: false).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) throw await PatchFailureAsync(response, repository, blob, cancellationToken).ConfigureAwait(false);
                location = await LocationAsync(response, repository, cancellationToken).ConfigureAwait(false);
                offset += length;
            }
            // Before the PUT commits the blob.
            await EnsureEndAsync(reading, blob, cancellationToken).ConfigureAwait(false);
        }
        return location;
    }

    /// <summary>
    /// What a PATCH's error answer means. The PATCH carries a one-shot stream, so the retry
    /// pipeline never sees it and the decision is made here, as distribution-spec means it: the
    /// session's own refusals start a new session; 416 (bytes out of order), 408, 429 and 5xx
    /// resume from the session's Range, after the <c>Retry-After</c> the answer asks for (capped
    /// as the pipeline caps it); any other refusal (401 to a token the session's POST already
    /// proved, 403, 404 NAME_UNKNOWN, 413, ...) would only be repeated, with the whole body sent
    /// again each time (and, in a copy, downloaded again), so it fails the upload at once.
    /// </summary>
    private async Task<Exception> PatchFailureAsync(HttpResponseMessage response, string repository, Descriptor blob, CancellationToken cancellationToken)
    {
        var error = await Http.ErrorAsync(response, "upload blob", repository, blob.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        if (RefusesSession(error.Code)) return new UploadRefusedException(error);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) return new UploadFailedException(error, null);
        if (RegistryHttp.IsTransient(response.StatusCode)) return new UploadFailedException(error, RegistryHttp.RetryAfter(response, Http.Options.MaxRetryDelay));
        return error;
    }

    /// <summary>The registry's codes for a session that cannot go on (distribution answers BLOB_UPLOAD_INVALID after a cut PATCH): a new one may succeed.</summary>
    private static bool RefusesSession(string? code) => code is "BLOB_UPLOAD_INVALID" or "BLOB_UPLOAD_UNKNOWN";

    /// <summary>Asks an upload session how much it holds: the next offset and the Location to continue at.</summary>
    private async Task<(Uri Location, long Offset)> StatusAsync(string repository, Uri location, CancellationToken cancellationToken)
    {
        using var response = await Http.SendAsync("check upload", repository, _ => new HttpRequestMessage(HttpMethod.Get, location), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new UploadRefusedException(await Http.ErrorAsync(response, "check upload", repository, cancellationToken).ConfigureAwait(false));
        var next = response.Headers.Location is null ? location : await LocationAsync(response, repository, cancellationToken).ConfigureAwait(false);
        var range = response.Headers.TryGetValues("Range", out var values) ? values.FirstOrDefault() : null;
        return (next, ResumeOffset(range));
    }

    /// <summary>
    /// Where to resume after an upload session's <c>Range</c> header: "0-N" names the last byte
    /// held; distribution also says "0-0" for an empty session, so that one resumes from the start
    /// (a wrong guess is refused and then restarts cleanly), as does a missing or unreadable header
    /// and one naming the last byte a long can count, after which no offset is left.
    /// </summary>
    internal static long ResumeOffset(string? range)
    {
        var dash = range?.LastIndexOf('-') ?? -1;
        return dash >= 0 && long.TryParse(range![(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) && end is > 0 and < long.MaxValue ? end + 1 : 0;
    }

    private async Task<Uri> StartAsync(string repository, CancellationToken cancellationToken)
    {
        using var response = await Http.SendCheckedAsync("start upload", repository,
            b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"v2/{repository}/blobs/uploads/")), cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref SessionsStarted);
        var location = await LocationAsync(response, repository, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values) && MinChunkLength(values.FirstOrDefault()) is { } min)
        {
            Interlocked.Exchange(ref _minChunk, min);
        }
        return location;
    }

    /// <summary>The smallest chunk an <c>OCI-Chunk-Min-Length</c> header allows, or null when it names no byte count.</summary>
    internal static long? MinChunkLength(string? header)
        => long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var min) ? min : null;

    internal async Task<Uri> LocationAsync(HttpResponseMessage response, string repository, CancellationToken cancellationToken)
        => response.Headers.Location is { } location
            ? await Http.ResolveAsync(response, location, "Location", "upload blob", repository, cancellationToken).ConfigureAwait(false)
            : throw new RegistryException("upload blob", Http.Endpoint.Host, repository, response.StatusCode, null, "the registry's answer has no Location for the upload session");

    private static Uri WithDigest(Uri location, Digest digest)
        => new(location.AbsoluteUri + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest.ToString()));

    /// <summary>A network or registry failure is worth resuming; a source that failed its own digest check is not.</summary>
    private static bool IsResumable(Exception e)
        => e.Find<DigestMismatchException>() is null
            && e is HttpRequestException or IOException or UploadFailedException or RegistryException { StatusCode: null };

    /// <summary>A PATCH the registry answered with an error worth resuming after, and how long it asked to wait first.</summary>
    private sealed class UploadFailedException(RegistryException inner, TimeSpan? wait) : Exception(inner.Message, inner)
    {
        public TimeSpan? Wait { get; } = wait;
    }

    /// <summary>The session cannot be continued; a new one must start.</summary>
    private sealed class UploadRefusedException(Exception cause) : Exception(cause.Message, cause);
}
