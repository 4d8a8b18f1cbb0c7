using System.Globalization;

namespace Dockerless.Running;

/// <summary>Who the container's process runs as: ids, supplementary groups and the home directory for HOME.</summary>
internal sealed record ImageUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home)
{
    /// <summary>
    /// Resolves a docker user spec (<c>name</c>, <c>uid</c>, <c>name:group</c>, <c>uid:gid</c>;
    /// empty means root) against the image's own <c>/etc/passwd</c> and <c>/etc/group</c> (null
    /// when the image has none), as docker and runc do: a name must be found, a number need not
    /// be (its group is then 0 and its home <c>/</c>), and supplementary groups are the primary
    /// group and, only when no group was given, those that list the user.
    /// </summary>
    public static ImageUser Resolve(string? spec, string? passwd, string? group)
    {
        spec ??= "";
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var userPart = colon < 0 ? spec : spec[..colon];
        var groupPart = colon < 0 ? "" : spec[(colon + 1)..];
        var numericUser = TryId(userPart, out var uidArgument);
        var users = Entries(passwd);
        var matched = users.FirstOrDefault(u => userPart.Length == 0 ? u.Id(2) == 0 : numericUser ? u.Id(2) == uidArgument : u.Field(0) == userPart);
        uint uid = 0, gid = 0;
        var home = "/";
        string? userName = null;
        if (matched is not null)
        {
            userName = matched.Field(0);
            uid = matched.Id(2);
            gid = matched.Id(3);
            home = matched.Field(5) is { Length: > 0 } h ? h : "/";
        }
        else if (userPart.Length > 0)
        {
            if (!numericUser) throw new ContainerConfigurationException($"unable to find user {userPart}: no matching entries in passwd file");
            uid = uidArgument;
        }

        IReadOnlyList<uint> additional = [];
        if (groupPart.Length > 0 || userName is not null)
        {
            var numericGroup = TryId(groupPart, out var gidArgument);
            var groups = Entries(group);
            if (groupPart.Length > 0)
            {
                var found = groups.FirstOrDefault(g => numericGroup ? g.Id(2) == gidArgument : g.Field(0) == groupPart);
                if (found is not null) gid = found.Id(2);
                else if (numericGroup) gid = gidArgument;
                else throw new ContainerConfigurationException($"unable to find group {groupPart}: no matching entries in group file");
            }
            else
            {
                additional = [.. groups.Where(g => g.Field(3).Split(',').Contains(userName, StringComparer.Ordinal)).Select(g => g.Id(2))];
            }
        }
        // docker lists the primary group among the supplementary ones too (id shows it in groups=).
        return new ImageUser(uid, gid, [gid, .. additional], home);
    }

    /// <summary>Whether a user spec names root before any lookup (empty, <c>0</c> or <c>root</c>, with any group).</summary>
    public static bool IsRootSpec(string? spec)
    {
        var user = (spec ?? "").Split(':')[0];
        return user is "" or "0" or "root";
    }

    private static bool TryId(string text, out uint id)
        => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id <= int.MaxValue;

    private static List<Entry> Entries(string? file)
        => file is null ? [] : [.. file.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').Select(l => new Entry(l.Split(':')))];

    /// <summary>One line of passwd or group; a field the line lacks reads as empty, as docker reads it.</summary>
    private sealed record Entry(string[] Fields)
    {
        public string Field(int index) => index < Fields.Length ? Fields[index] : "";

        public uint Id(int index) => TryId(Field(index), out var id) ? id : 0;
    }
}
