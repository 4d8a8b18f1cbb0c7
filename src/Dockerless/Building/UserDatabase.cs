using System.Globalization;
using System.Text;

namespace Dockerless.Building;

/// <summary>
/// Turns <c>user[:group]</c> (names or ids) into numeric ids as BuildKit does for <c>--chown</c>
/// and WORKDIR's owner: names are looked up in the stage's own <c>/etc/passwd</c> and
/// <c>/etc/group</c>, read from its layers only when a name needs them; a user given by id
/// without a group gets the same id as group, a user given by name gets its primary group.
/// </summary>
internal sealed class UserDatabase(IReadOnlyList<Layer> layers)
{
    private string[][]? _passwd;
    private string[][]? _group;

    /// <summary>The ids <paramref name="spec"/> names.</summary>
    /// <exception cref="DockerlessException">A name the stage's files do not hold; the message says which.</exception>
    public async Task<(int Uid, int Gid)> ResolveAsync(string spec, CancellationToken cancellationToken)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? spec : spec[..colon];
        var group = colon < 0 ? null : spec[(colon + 1)..];
        int uid = 0, gid = 0;
        if (user.Length > 0)
        {
            if (Id(user) is { } id)
            {
                uid = id;
                gid = id;
            }
            else
            {
                var entry = (await PasswdAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Length > 3 && e[0] == user)
                    ?? throw new DockerlessException($"unable to find user {user}: no matching entries in passwd file");
                uid = Id(entry[2]) ?? throw new DockerlessException($"/etc/passwd: user {user} has no numeric uid");
                gid = Id(entry[3]) ?? throw new DockerlessException($"/etc/passwd: user {user} has no numeric gid");
            }
        }
        if (!string.IsNullOrEmpty(group))
        {
            if (Id(group) is { } id)
            {
                gid = id;
            }
            else
            {
                var entry = (await GroupAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Length > 2 && e[0] == group)
                    ?? throw new DockerlessException($"unable to find group {group}: no matching entries in group file");
                gid = Id(entry[2]) ?? throw new DockerlessException($"/etc/group: group {group} has no numeric gid");
            }
        }
        return (uid, gid);
    }

    private static int? Id(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private async Task<string[][]> PasswdAsync(CancellationToken cancellationToken) => _passwd ??= await ReadAsync("etc/passwd", cancellationToken).ConfigureAwait(false);

    private async Task<string[][]> GroupAsync(CancellationToken cancellationToken) => _group ??= await ReadAsync("etc/group", cancellationToken).ConfigureAwait(false);

    private async Task<string[][]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await LayerFiles.ReadAsync(layers, path, cancellationToken).ConfigureAwait(false);
        if (bytes is null) return [];
        return [.. Encoding.UTF8.GetString(bytes).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':'))];
    }
}
