using System.Globalization;
using Dockerless.Unpacking;

namespace Dockerless.Running;

/// <summary>
/// The user namespace of a container run without root, as <c>runc spec --rootless</c> makes it:
/// the caller's uid and gid are root inside. A user other than root needs more ids: a range of
/// the caller's in /etc/subuid and /etc/subgid (given through newuidmap and newgidmap, which the
/// runtime calls), mapped from 1 up, as podman maps them.
/// </summary>
internal static class Rootless
{
    public static IdMappings Mappings(ImageUser user, bool inOwnUserNamespace)
    {
        var uid = inOwnUserNamespace ? 0 : Syscalls.EffectiveUserId();
        var gid = inOwnUserNamespace ? 0 : RunSyscalls.EffectiveGroupId();
        var needsRange = user.Uid != 0 || user.AdditionalGids.Any(g => g != 0);
        if (!needsRange) return new IdMappings([new(0, uid, 1)], [new(0, gid, 1)]);

        var name = System.Environment.UserName;
        var uids = inOwnUserNamespace ? null : SubordinateRange("/etc/subuid", name, uid);
        var gids = inOwnUserNamespace ? null : SubordinateRange("/etc/subgid", name, gid);
        if (uids is null || gids is null)
        {
            throw new ContainerConfigurationException(
                $"the container's user {user.Uid}:{user.Gid} cannot run without root: only root (the calling user, {name}) is mapped; "
                + $"give {name} ranges in /etc/subuid and /etc/subgid (usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {name}), or run as root or with -u 0");
        }
        return new IdMappings([new(0, uid, 1), new(1, uids.Value.Start, uids.Value.Count)], [new(0, gid, 1), new(1, gids.Value.Start, gids.Value.Count)]);
    }

    /// <summary>The first range /etc/subuid (or subgid) gives the user, by name or id; null when none.</summary>
    private static (uint Start, uint Count)? SubordinateRange(string file, string name, uint id)
    {
        if (!File.Exists(file)) return null;
        foreach (var line in File.ReadLines(file))
        {
            var fields = line.Split(':');
            if (fields.Length != 3 || (fields[0] != name && fields[0] != id.ToString(CultureInfo.InvariantCulture))) continue;
            if (uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
            {
                return (start, count);
            }
        }
        return null;
    }
}
