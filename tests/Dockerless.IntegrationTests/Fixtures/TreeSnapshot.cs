using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>What one path of a tree is, as find(1) sees it (lstat: links are not followed).</summary>
public sealed record TreeNode(string Type, string Mode, string Uid, string Gid, string MTime, string LinkTarget, string Content, string HardLinkGroup, string Xattrs = "");

/// <summary>Which details a snapshot records beyond type, mode, owner, contents, links and file times.</summary>
[Flags]
public enum TreeDetail
{
    Basic = 0,
    /// <summary>Times of directories and symlinks too; a directory time outside the layers' crafted range (2017 to 2023) reads as "(unpack)".</summary>
    AllTimes = 1,
    /// <summary>Extended attributes, as name=hex pairs.</summary>
    Xattrs = 2,
}

/// <summary>Records a tree path by path, to compare the trees two unpackers made.</summary>
public static partial class TreeSnapshot
{
    private const long CraftedTimesFrom = 1_500_000_000;
    private const long CraftedTimesTo = 1_700_000_000;

    public static async Task<Dictionary<string, TreeNode>> TakeAsync(string root, TreeDetail detail = TreeDetail.Basic)
    {
        var listing = await Peer.RunAsync("find", [root, "-printf", "%P\\t%y\\t%m\\t%U\\t%G\\t%i\\t%T@\\t%l\\n"]);
        var rows = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        var byInode = rows.Where(r => r[1] == "f").GroupBy(r => r[5]).ToDictionary(g => g.Key, g => string.Join(',', g.Select(r => r[0]).Order(StringComparer.Ordinal)));
        var nodes = new Dictionary<string, TreeNode>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var (path, type) = (r[0], r[1]);
            var full = Path.Combine(root, path);
            var content = type == "f" ? Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(full)))[..12] : "";
            var links = type == "f" && byInode[r[5]].Contains(',', StringComparison.Ordinal) ? byInode[r[5]] : "";
            var xattrs = detail.HasFlag(TreeDetail.Xattrs) ? XattrsOf(full) : "";
            nodes[path.Length == 0 ? "/" : path] = new TreeNode(type, type == "l" ? "" : r[2], r[3], r[4], Time(type, r[6], detail), r[7], content, links, xattrs);
        }
        return nodes;
    }

    /// <summary>The paths where two snapshots differ, each with both sides, for an assertion message.</summary>
    public static List<string> Differences(Dictionary<string, TreeNode> expected, Dictionary<string, TreeNode> actual, string expectedName, string actualName)
        => [.. expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Where(p => expected.GetValueOrDefault(p) != actual.GetValueOrDefault(p))
            .Select(p => $"{p}:\n  {expectedName}: {expected.GetValueOrDefault(p)?.ToString() ?? "(missing)"}\n  {actualName}: {actual.GetValueOrDefault(p)?.ToString() ?? "(missing)"}")];

    /// <summary>
    /// umoci restores a directory's time after writing into it, but not a grandparent's when it
    /// makes a missing parent on the way (its MkdirAll), so such a directory, even one a layer
    /// lists, ends with the time of the unpack; ours keeps its entry's time (docs/unpack.md). Where
    /// umoci's directory time is the clock's, ours is not compared.
    /// </summary>
    public static Dictionary<string, TreeNode> KeepingUmocisClockTimes(Dictionary<string, TreeNode> theirs, Dictionary<string, TreeNode> ours)
        => ours.ToDictionary(p => p.Key, p => p.Value.Type == "d" && theirs.GetValueOrDefault(p.Key) is { Type: "d", MTime: "(unpack)" } ? p.Value with { MTime = "(unpack)" } : p.Value, StringComparer.Ordinal);

    private static string Time(string type, string time, TreeDetail detail)
    {
        if (type is not ("d" or "l")) return time;
        if (!detail.HasFlag(TreeDetail.AllTimes)) return "";
        var seconds = double.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
        return type == "d" && seconds is < CraftedTimesFrom or > CraftedTimesTo ? "(unpack)" : time;
    }

    /// <summary>name=hex of each extended attribute of the path itself, sorted.</summary>
    private static string XattrsOf(string path)
    {
        var size = ListXattrs(path, null, 0);
        if (size <= 0) return "";
        var names = new byte[size];
        size = ListXattrs(path, names, (nuint)names.Length);
        var pairs = new List<string>();
        foreach (var name in Encoding.UTF8.GetString(names, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = new byte[65536];
            var length = GetXattr(path, name, value, (nuint)value.Length);
            pairs.Add($"{name}={(length < 0 ? "?" : Convert.ToHexStringLower(value, 0, (int)length))}");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(' ', pairs);
    }

    [LibraryImport("libc", EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ListXattrs(string path, [Out] byte[]? list, nuint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetXattr(string path, string name, [Out] byte[] value, nuint size);
}
