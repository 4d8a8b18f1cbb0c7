using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dockerless.Auth;

public sealed partial class DockerCredentialStore
{
    /// <summary>
    /// Saves credentials as <c>docker login</c> does: through the credential helper configured for
    /// the registry (<c>credHelpers</c>, else <c>credsStore</c>) with an empty <c>auths</c> entry as the
    /// marker, else as base64 <c>auth</c> in <c>auths</c>. Docker Hub goes under
    /// <c>https://index.docker.io/v1/</c>. Every other field of the file is kept; the file is replaced
    /// atomically with mode 0600, under a lock that concurrent logins and logouts share.
    /// </summary>
    public async Task SaveAsync(string registry, string username, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        await UpdateAsync(DockerConfigPath, async loaded =>
        {
            var root = loaded ?? [];
            var key = RegistryKeys.DockerKey(registry);
            if (AuthFile.Auths(root) is not { } auths)
            {
                auths = [];
                root["auths"] = auths;
            }

            JsonObject entry;
            if (AuthFile.HelperFor(root, registry) is { } helperName)
            {
                await Helper(helperName).StoreAsync(key, username, password, cancellationToken).ConfigureAwait(false);
                entry = [];
            }
            else
            {
                entry = new JsonObject { ["auth"] = AuthFile.EncodeAuth(username, password) };
            }
            auths[key] = entry;
            return root;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the credentials for <paramref name="registry"/> as <see cref="LogoutAsync"/> does, without
    /// its warnings. False when there were none.
    /// </summary>
    internal async Task<bool> EraseAsync(string registry, CancellationToken cancellationToken)
        => (await LogoutAsync(registry, cancellationToken).ConfigureAwait(false)).Erased;

    /// <summary>
    /// Removes the credentials for <paramref name="registry"/> as <c>docker logout</c> does: from the
    /// credential helper, if one is configured, under every key <see cref="HelperKeysToErase"/> gives,
    /// and every <c>auths</c> entry naming the registry (<c>host</c>, <c>https://host</c>, ...). A helper
    /// that fails (not on PATH, or an <c>erase</c> it does not implement, as ecr-login's) gives a warning
    /// and the file is still cleaned, as docker does; "credentials not found" is no failure.
    /// </summary>
    public async Task<LogoutResult> LogoutAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        var erased = false;
        var warnings = new List<string>();
        await UpdateAsync(DockerConfigPath, async root =>
        {
            if (root is null) return null;
            var auths = AuthFile.Auths(root);
            var authKeys = auths is null ? [] : RegistryKeys.FindAll(auths.Select(p => p.Key), registry).ToList();
            if (AuthFile.HelperFor(root, registry) is { } helperName)
            {
                var helper = Helper(helperName);
                if (helper.ExecutablePath is null)
                {
                    // One line, not one per key: every call would fail the same way.
                    warnings.Add($"the credential helper docker-credential-{helperName} is not on PATH; credentials it holds for {registry} were not erased");
                }
                else
                {
                    foreach (var key in HelperKeysToErase(registry, authKeys))
                    {
                        try
                        {
                            erased |= await helper.EraseAsync(key, cancellationToken).ConfigureAwait(false);
                        }
                        catch (CredentialException e)
                        {
                            // The message names the helper, the key and the helper's first line, not a secret.
                            warnings.Add($"could not erase credentials: {e.Message}");
                        }
                    }
                }
            }
            foreach (var key in authKeys) auths!.Remove(key);
            if (authKeys.Count == 0) return null;
            erased = true;
            return root;
        }, cancellationToken).ConfigureAwait(false);
        return new LogoutResult(erased, warnings);
    }

    /// <summary>
    /// The server URLs to erase from a helper at logout. A helper keys its secrets by the exact string
    /// it was given, and docker and other tools have stored under several forms of one registry, so
    /// erasing one form can leave a secret that nothing points to any more. These are the forms
    /// <c>docker logout</c> erases (the address as typed; then the host, <c>http://host</c> and
    /// <c>https://host</c>, or for Docker Hub its index URL), the host also lowercased as this library
    /// writes it, and every <c>auths</c> key naming the registry, since its empty marker says the secret
    /// is in the helper under that key.
    /// </summary>
    internal static IReadOnlyList<string> HelperKeysToErase(string registry, IEnumerable<string> authKeys)
    {
        var keys = new List<string> { registry };
        var host = RegistryKeys.ToHost(registry);
        if (host == ImageReference.DockerHub)
        {
            keys.Add(RegistryKeys.DockerHubKey);
        }
        else
        {
            // docker's ConvertToHostname keeps the case of what was typed; DockerKey lowercases.
            foreach (var form in new[] { RegistryKeys.TypedHost(registry), host })
            {
                keys.AddRange([form, "http://" + form, "https://" + form]);
            }
        }
        keys.AddRange(authKeys);
        return keys.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Changes the auth file at <paramref name="path"/> as another process's login or logout may be
    /// doing at the same moment: under a lock on <c>FILE.lock</c> beside it (flock, held across
    /// processes), reads it anew, lets <paramref name="change"/> edit it (null: nothing to write) and
    /// replaces it atomically. A symbolic link is followed, as docker does, so that the link stays
    /// and its target changes; the lock is beside the target.
    /// </summary>
    private static async Task UpdateAsync(string path, Func<JsonObject?, Task<JsonObject?>> change, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var target = new FileInfo(fullPath).LinkTarget is null ? fullPath : File.ResolveLinkTarget(fullPath, returnFinalTarget: true)!.FullName;
        FileLock held;
        try
        {
            CreateOwnerOnlyDirectory(Path.GetDirectoryName(target)!);
            held = await FileLock.AcquireAsync(target + ".lock", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"cannot write {path}: {e.Message}", e);
        }
        using (held)
        {
            var root = await change(await AuthFile.LoadAsync(path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            if (root is not null) await WriteAtomicallyAsync(path, target, root, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void CreateOwnerOnlyDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// Writes <paramref name="root"/> to a temporary file (mode 0600) beside <paramref name="target"/>,
    /// flushed to disk, renames it over and flushes the directory.
    /// </summary>
    private static async Task WriteAtomicallyAsync(string path, string target, JsonObject root, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            var stream = new FileStream(temporary, fileOptions);
            await using (stream.ConfigureAwait(false))
            {
                using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1 });
                root.WriteTo(writer);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            DurableFile.FlushDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Archives.AtomicOutput.TryDelete(temporary);
            throw new CredentialException($"cannot write {path}: {e.Message}", e);
        }
        catch
        {
            Archives.AtomicOutput.TryDelete(temporary);
            throw;
        }
    }
}
