using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dockerless.Auth;

internal sealed partial class DockerCredentialStore
{
    /// <summary>
    /// Saves credentials as <c>docker login</c> does: through the credential helper configured for
    /// the registry (<c>credHelpers</c>, else <c>credsStore</c>) with an empty <c>auths</c> entry as the
    /// marker, else as base64 <c>auth</c> in <c>auths</c>. Docker Hub goes under
    /// <c>https://index.docker.io/v1/</c>. Every other field of the file is kept; the file is replaced
    /// atomically with mode 0600.
    /// </summary>
    public async Task SaveAsync(string registry, string username, string password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        var path = DockerConfigPath;
        var root = await AuthFile.LoadAsync(path, cancellationToken).ConfigureAwait(false) ?? [];
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
        await WriteAtomicallyAsync(path, root, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the credentials for <paramref name="registry"/> as <c>docker logout</c> does: from the
    /// credential helper, if one is configured, and every <c>auths</c> entry naming the registry
    /// (<c>host</c>, <c>https://host</c>, ...). False when there were none.
    /// </summary>
    public async Task<bool> EraseAsync(string registry, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        var path = DockerConfigPath;
        var root = await AuthFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        if (root is null) return false;

        var erased = false;
        if (AuthFile.HelperFor(root, registry) is { } helperName)
        {
            erased = await Helper(helperName).EraseAsync(HelperServerUrl(root, registry), cancellationToken).ConfigureAwait(false);
        }
        if (AuthFile.Auths(root) is { } auths)
        {
            foreach (var key in RegistryKeys.FindAll(auths.Select(p => p.Key), registry).ToList())
            {
                auths.Remove(key);
                erased = true;
            }
        }
        if (erased) await WriteAtomicallyAsync(path, root, cancellationToken).ConfigureAwait(false);
        return erased;
    }

    /// <summary>
    /// Writes <paramref name="root"/> to a temporary file (mode 0600) beside <paramref name="path"/>,
    /// flushed to disk, and renames it over. A symbolic link is followed, as docker does, so that the
    /// link stays and its target changes.
    /// </summary>
    private static async Task WriteAtomicallyAsync(string path, JsonObject root, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var target = new FileInfo(fullPath).LinkTarget is null ? fullPath : File.ResolveLinkTarget(fullPath, returnFinalTarget: true)!.FullName;
        var directory = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, ownerOnly | UnixFileMode.UserExecute);
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = ownerOnly;
            var stream = new FileStream(temporary, fileOptions);
            await using (stream.ConfigureAwait(false))
            {
                using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1 });
                root.WriteTo(writer);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CredentialException($"cannot write {path}: {e.Message}", e);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
