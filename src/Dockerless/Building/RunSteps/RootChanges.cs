using System.Formats.Tar;

namespace Dockerless.Building.RunSteps;

/// <summary>
/// Turns what a RUN did to a root filesystem into a layer, from snapshots taken before and after
/// it (the walk containerd's and BuildKit's native differ make when there is no overlay): added
/// and changed files with their parent directories, deleted ones as <c>.wh.</c> whiteouts, and a
/// directory that was removed and made again as an opaque directory (<c>.wh..wh..opq</c>) holding
/// only its new contents. A directory whose entries changed is not itself a change: only its
/// mode, owner or identity are. A file the runtime made to bind a file onto (an empty file that
/// was not there before) is left out; directories it made stay, as docker's BuildKit keeps them.
/// </summary>
internal static class RootChanges
{
    /// <summary>The changes as a layer to build on top of the stage, or null when there are none.</summary>
    /// <param name="before">The root before the run.</param>
    /// <param name="after">The same root after it.</param>
    /// <param name="mountPoints">Where the run mounted something (relative paths); missing ones the runtime made are left out.</param>
    /// <param name="keepOwners">Whether files keep their owners (as root); rootless, every file is the caller's, root's inside.</param>
    public static LayerBuilder? Collect(RootSnapshot before, RootSnapshot after, IEnumerable<string> mountPoints, bool keepOwners)
    {
        var stubs = Stubs(before, after, mountPoints);
        var layer = new LayerBuilder { ParentsFromBelow = true };
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        var any = false;

        void Emit(string path, HostFileInfo info)
        {
            if (info.Kind == HostFileKind.Socket) return;
            var entry = LayerEntry.FromHost(after.FullPath(path), info);
            layer.Add(path, keepOwners ? entry.WithOwner(entry.Mode, info.Uid, info.Gid) : entry.WithOwner(entry.Mode, 0, 0));
            emitted.Add(path);
            any = true;
            foreach (var parent in TarPath.Ancestors(path))
            {
                if (!emitted.Add(parent)) continue;
                var directory = after.Files[parent];
                layer.Add(parent, new LayerEntry(TarEntryType.Directory, directory.Mode) { Uid = keepOwners ? directory.Uid : 0, Gid = keepOwners ? directory.Gid : 0 });
            }
        }

        foreach (var (path, now) in after.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (stubs.Contains(path)) continue;
            if (TarPath.Ancestors(path).Any(replaced.Contains) || !before.Files.TryGetValue(path, out var was))
            {
                Emit(path, now);
                continue;
            }
            if (now.Kind == HostFileKind.Directory && was.Kind == HostFileKind.Directory)
            {
                if (now.Inode != was.Inode || now.BirthTime != was.BirthTime)
                {
                    // Removed and made again: what the layers below hold in it is gone.
                    replaced.Add(path);
                    Emit(path, now);
                    layer.ClearDirectory(path);
                }
                else if (now.Mode != was.Mode || now.Uid != was.Uid || now.Gid != was.Gid)
                {
                    Emit(path, now);
                }
                continue;
            }
            if (now.Kind != was.Kind || now.Inode != was.Inode || now.BirthTime != was.BirthTime || now.ChangeTime != was.ChangeTime || now.Size != was.Size
                || now.Mode != was.Mode || now.Uid != was.Uid || now.Gid != was.Gid)
            {
                Emit(path, now);
            }
        }

        foreach (var path in before.Files.Keys.Where(p => !after.Files.ContainsKey(p)).Order(StringComparer.Ordinal))
        {
            // Deleting a directory deletes what is under it; a replaced parent hides it already.
            var parent = TarPath.Parent(path);
            if (parent.Length > 0 && (!after.Files.TryGetValue(parent, out var now) || now.Kind != HostFileKind.Directory || replaced.Contains(parent)
                || TarPath.Ancestors(parent).Any(replaced.Contains) || !before.Files.TryGetValue(parent, out var was) || was.Kind != HostFileKind.Directory))
            {
                continue;
            }
            layer.DeletePath(path);
            any = true;
        }
        return any ? layer : null;
    }

    /// <summary>The file mount points that were not there before and are still empty: the runtime made them to bind a file onto.</summary>
    private static HashSet<string> Stubs(RootSnapshot before, RootSnapshot after, IEnumerable<string> mountPoints) =>
        mountPoints.Where(p => !before.Files.ContainsKey(p) && after.Files.TryGetValue(p, out var info) && info.Kind == HostFileKind.Regular && info.Size == 0)
            .ToHashSet(StringComparer.Ordinal);
}
