using System.Security.Cryptography;

namespace Dockerless.Building;

/// <summary>An ADD source given as an http(s) URL: downloaded once, checked against <c>--checksum</c> when given.</summary>
internal static class RemoteFile
{
    /// <summary>Whether ADD reads <paramref name="source"/> as a URL.</summary>
    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Downloads <paramref name="url"/> into <paramref name="directory"/> under the last name of its path; returns the file's path.</summary>
    /// <exception cref="DigestMismatchException">The file is not what <paramref name="checksum"/> says.</exception>
    public static async Task<string> DownloadAsync(string url, string? checksum, string directory, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        Digest? expected = null;
        if (checksum is not null)
        {
            expected = Digest.TryParse(checksum, out var parsed) && parsed.Algorithm == "sha256" ? parsed
                : throw new DockerlessException($"invalid checksum {checksum}: expected sha256:<64 hex digits>");
        }
        var name = Uri.UnescapeDataString(uri.AbsolutePath.TrimEnd('/').Split('/')[^1]);
        if (name.Length == 0 || name is "." or "..") name = "__unnamed__";
        var path = Path.Combine(directory, name);
        using var client = new HttpClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("dockerless");
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new DockerlessException($"ADD {SafeUrl(uri)}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        var actual = Digest.Parse("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
        if (expected is { } wanted && wanted != actual) throw new DigestMismatchException($"ADD {SafeUrl(uri)}", wanted, actual, -1, new FileInfo(path).Length);
        return path;
    }

    /// <summary><paramref name="source"/> as history may show it: a URL without its user information (a password, perhaps).</summary>
    public static string Shown(string source) => IsUrl(source) && Uri.TryCreate(source, UriKind.Absolute, out var uri) ? SafeUrl(uri) : source;

    /// <summary>The URL without user information, which may hold a password.</summary>
    private static string SafeUrl(Uri uri) => uri.UserInfo.Length == 0 ? uri.ToString() : uri.ToString().Replace(uri.UserInfo + "@", "", StringComparison.Ordinal);
}
