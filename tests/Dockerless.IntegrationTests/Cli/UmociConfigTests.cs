using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Cli;

/// <summary>
/// Differential tests of <c>mutate</c> and <c>append</c> against umoci, an image editor we did not
/// write: one base layout (made by umoci, so its times carry nanoseconds) is copied twice, the same
/// edit is made with dockerless on one copy and with <c>umoci config</c> / <c>umoci insert</c> on the
/// other, and the configs (and, for layers, the trees <c>umoci unpack</c> makes) must agree. Where
/// umoci differs from docker and crane (it records a history entry for a config edit and keeps Cmd
/// under a new entrypoint), the test says so and follows docker and crane. Every layout dockerless
/// writes must pass <c>oci-image-tool validate</c> and be read by <c>skopeo inspect</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UmociConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private string? _base;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--label a=2 --label b=3", "--config.label a=2 --config.label b=3")]
    [InlineData("--expose 443 --expose 53/udp", "--config.exposedports 443/tcp --config.exposedports 53/udp")]
    [InlineData("--user nobody --workdir /srv", "--config.user nobody --config.workingdir /srv")]
    [InlineData("--clear-env --env X=1", "--clear=config.env --config.env X=1")]
    [InlineData("--env NEW=x", "--config.env NEW=x")]
    [InlineData("--cmd a --cmd b", "--config.cmd a --config.cmd b")]
    [InlineData("--label-rm a", "--clear=config.labels")]
    public async Task A_config_edit_gives_the_config_umoci_gives(string ours, string theirs)
    {
        var (mine, umoci) = await EditBothAsync(ours.Split(' '), theirs.Split(' '));
        Assert.Equal(Canonical(umoci["config"]), Canonical(mine["config"]));
        Assert.Equal(umoci["rootfs"]!.ToJsonString(), mine["rootfs"]!.ToJsonString());
    }

    /// <summary>Docker's ENV, BuildKit, crane mutate and umoci all replace a variable where it stands.</summary>
    [Fact]
    public async Task Setting_an_existing_variable_replaces_it_where_it_stands()
    {
        var (mine, umoci) = await EditBothAsync(["--env", "FOO=9", "--env", "NEW=x"], ["--config.env", "FOO=9", "--config.env", "NEW=x"]);
        string[] expected = ["PATH=/usr/bin:/bin", "FOO=9", "BAR=2", "NEW=x"];
        Assert.Equal(expected, Env(umoci));
        Assert.Equal(expected, Env(mine));
    }

    /// <summary>A directory added under a directory of the base: the tree umoci insert makes, the base's directories above it untouched.</summary>
    [Fact]
    public async Task Append_of_a_directory_gives_the_tree_umoci_insert_gives()
    {
        var source = _dir["src"];
        Directory.CreateDirectory(Path.Combine(source, "d", "sub"));
        Directory.CreateDirectory(Path.Combine(source, "empty"));
        File.WriteAllText(Path.Combine(source, "f1"), "one\n");
        File.SetUnixFileMode(Path.Combine(source, "f1"), (UnixFileMode)0x180); // 0600
        File.WriteAllText(Path.Combine(source, "d", "sub", "f2"), "two\n");
        File.SetUnixFileMode(Path.Combine(source, "d", "sub", "f2"), (UnixFileMode)0x9ED); // 04755
        File.SetUnixFileMode(Path.Combine(source, "d"), (UnixFileMode)0x1E9); // 0751
        File.CreateSymbolicLink(Path.Combine(source, "link"), "f1");
        File.CreateSymbolicLink(Path.Combine(source, "dangling"), "/nonexistent");
        await Peer.RunAsync("ln", [Path.Combine(source, "f1"), Path.Combine(source, "hard")]);
        await Peer.RunAsync("mkfifo", [Path.Combine(source, "fifo")]);
        File.SetUnixFileMode(source, (UnixFileMode)0x1ED); // 0755, what docker's COPY gives the target whatever the source

        var (mine, umoci) = await BothLayoutsAsync();
        await CliTool.SucceedAsync(["append", $"oci:{mine}:1", "-t", $"oci:{mine}:ours", "--layer", $"{source}:/srv/app"]);
        await Peer.RunAsync("umoci", ["insert", "--image", $"{umoci}:1", "--tag", "theirs", source, "/srv/app"]);

        await AssertSameTreeAsync(mine, umoci);
    }

    /// <summary>
    /// A file given with a container directory goes under that directory, as the flag says
    /// (<c>--layer PATH[:CONTAINER_DIR]</c>), and the directory stays as the base has it.
    /// </summary>
    [Fact]
    public async Task Append_of_a_file_puts_it_under_the_container_directory()
    {
        var file = _dir["note.txt"];
        File.WriteAllText(file, "note\n");
        File.SetUnixFileMode(file, (UnixFileMode)0x1A4);

        var (mine, umoci) = await BothLayoutsAsync();
        await CliTool.SucceedAsync(["append", $"oci:{mine}:1", "-t", $"oci:{mine}:ours", "--layer", $"{file}:/tmp"]);
        await Peer.RunAsync("umoci", ["insert", "--image", $"{umoci}:1", "--tag", "theirs", file, "/tmp/note.txt"]);

        var tree = await AssertSameTreeAsync(mine, umoci);
        Assert.Equal(("d", "1777"), tree["tmp"]);
        Assert.Equal(("f", "644"), tree["tmp/note.txt"]);
    }

    /// <summary>
    /// A new entrypoint drops the Cmd the image had, as a Dockerfile's ENTRYPOINT and crane mutate
    /// --entrypoint do (the old Cmd was arguments for the old entrypoint); umoci keeps it.
    /// </summary>
    [Fact]
    public async Task A_new_entrypoint_drops_the_old_cmd_as_docker_and_crane_do()
    {
        var (mine, umoci) = await EditBothAsync(["--entrypoint", "/bin/cat"], ["--config.entrypoint", "/bin/cat"]);
        Assert.Equal(["-c", "echo hi"], umoci["config"]!["Cmd"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Null(mine["config"]!["Cmd"]);
        Assert.Equal(["/bin/cat"], mine["config"]!["Entrypoint"]!.AsArray().Select(n => n!.GetValue<string>()));

        var (both, _) = await EditBothAsync(["--entrypoint", "/bin/cat", "--cmd", "/etc/hostname"], ["--config.cmd", "/etc/hostname"]);
        Assert.Equal(["/etc/hostname"], both["config"]!["Cmd"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    /// <summary>
    /// A config edit leaves the history as it was, times to the nanosecond, as crane mutate does
    /// (umoci adds an <c>empty_layer</c> entry of its own: its choice, not the spec's).
    /// </summary>
    [Fact]
    public async Task A_config_edit_keeps_the_history_and_the_times_to_the_nanosecond()
    {
        var (mine, umoci) = await EditBothAsync(["--label", "x=1"], ["--config.label", "x=1"]);
        var original = await ConfigAsync(await BaseAsync(), "1");
        Assert.Contains(".", original["created"]!.GetValue<string>()[19..], StringComparison.Ordinal);
        Assert.Equal(original["history"]!.ToJsonString(), mine["history"]!.ToJsonString());
        Assert.Equal(original["created"]!.ToJsonString(), mine["created"]!.ToJsonString());
        Assert.Equal(original["history"]!.AsArray().Count + 1, umoci["history"]!.AsArray().Count);
    }

    // --- helpers ---

    /// <summary>
    /// The base image, made by umoci once per test: a layer with /tmp (1777), /srv (0700) and
    /// /etc/os-release, and a config with three variables, an entrypoint with a Cmd, a label,
    /// a port, a working directory and a user.
    /// </summary>
    private async Task<string> BaseAsync()
    {
        if (_base is not null) return _base;
        var layout = _dir["base"];
        var rootfs = _dir["base-rootfs"];
        Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
        Directory.CreateDirectory(Path.Combine(rootfs, "srv"));
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.WriteAllText(Path.Combine(rootfs, "etc", "os-release"), "ID=test\n");
        File.SetUnixFileMode(Path.Combine(rootfs, "etc", "os-release"), (UnixFileMode)0x1A4);
        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)0x3FF); // 01777
        File.SetUnixFileMode(Path.Combine(rootfs, "srv"), (UnixFileMode)0x1C0); // 0700
        File.SetUnixFileMode(Path.Combine(rootfs, "etc"), (UnixFileMode)0x1ED);
        await Peer.RunAsync("umoci", ["init", "--layout", layout]);
        await Peer.RunAsync("umoci", ["new", "--image", $"{layout}:1"]);
        await Peer.RunAsync("umoci", ["insert", "--image", $"{layout}:1", rootfs, "/"]);
        await Peer.RunAsync("umoci", ["config", "--image", $"{layout}:1",
            "--config.env", "PATH=/usr/bin:/bin", "--config.env", "FOO=1", "--config.env", "BAR=2",
            "--config.entrypoint", "/bin/sh", "--config.cmd", "-c", "--config.cmd", "echo hi",
            "--config.label", "a=1", "--config.exposedports", "80/tcp", "--config.workingdir", "/app", "--config.user", "1:1"]);
        return _base = layout;
    }

    /// <summary>Two copies of the base layout, one for dockerless and one for umoci.</summary>
    private async Task<(string Mine, string Umoci)> BothLayoutsAsync()
    {
        var source = await BaseAsync();
        var name = Guid.NewGuid().ToString("N")[..8];
        var (mine, umoci) = (_dir[$"mine-{name}"], _dir[$"umoci-{name}"]);
        await Peer.RunAsync("cp", ["-a", source, mine]);
        await Peer.RunAsync("cp", ["-a", source, umoci]);
        return (mine, umoci);
    }

    /// <summary>Makes the edit both ways; gives dockerless's config (oci:MINE:ours) and umoci's (oci:UMOCI:theirs).</summary>
    private async Task<(JsonObject Mine, JsonObject Umoci)> EditBothAsync(string[] ours, string[] theirs)
    {
        var (mine, umoci) = await BothLayoutsAsync();
        await CliTool.SucceedAsync(["mutate", $"oci:{mine}:1", "-t", $"oci:{mine}:ours", .. ours]);
        await Peer.RunAsync("umoci", ["config", "--image", $"{umoci}:1", "--tag", "theirs", .. theirs]);
        return (await ConfigAsync(mine, "ours"), await ConfigAsync(umoci, "theirs"));
    }

    /// <summary>The config as skopeo reads it, after oci-image-tool has validated the layout.</summary>
    private static async Task<JsonObject> ConfigAsync(string layout, string tag)
    {
        await Peer.RunAsync("oci-image-tool", ["validate", "--type", "image", "--ref", $"name={tag}", layout]);
        await Peer.RunAsync("skopeo", ["inspect", $"oci:{layout}:{tag}"]);
        return JsonNode.Parse(await Peer.RunAsync("skopeo", ["inspect", "--config", $"oci:{layout}:{tag}"]))!.AsObject();
    }

    private static string[] Env(JsonObject config) => [.. config["config"]!["Env"]!.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>
    /// The config object with keys sorted (Labels and ExposedPorts are maps) and empty values
    /// (null, "", [], {}) dropped: Go's omitempty leaves them out where we may write them.
    /// </summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Where(p => !IsEmpty(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0,
        _ => false,
    };

    /// <summary>
    /// Unpacks oci:MINE:ours and oci:UMOCI:theirs with umoci and checks the trees hold the same paths,
    /// types, modes, owners, link targets, hard link groups and contents (times are not compared).
    /// Gives each path's type and mode.
    /// </summary>
    private async Task<Dictionary<string, (string Type, string Mode)>> AssertSameTreeAsync(string mine, string umoci)
    {
        await ConfigAsync(mine, "ours");
        var ours = await TreeAsync(mine, "ours");
        var theirs = await TreeAsync(umoci, "theirs");
        Assert.Equal(string.Join('\n', theirs.Select(p => $"{p.Key} {p.Value}")), string.Join('\n', ours.Select(p => $"{p.Key} {p.Value}")));
        return ours.ToDictionary(p => p.Key, p => (p.Value.Split(' ')[0], p.Value.Split(' ')[1]), StringComparer.Ordinal);
    }

    private async Task<SortedDictionary<string, string>> TreeAsync(string layout, string tag)
    {
        var bundle = _dir[$"bundle-{Guid.NewGuid():N}"];
        await Peer.RunAsync("umoci", ["unpack", "--image", $"{layout}:{tag}", bundle]);
        var root = Path.Combine(bundle, "rootfs");
        var listing = await Peer.RunAsync("find", [root, "-mindepth", "1", "-printf", "%P\\t%y\\t%m\\t%U:%G\\t%i\\t%n\\t%l\\n"]);
        var rows = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        var byInode = rows.GroupBy(r => r[4]).ToDictionary(g => g.Key, g => string.Join(',', g.Select(r => r[0]).Order(StringComparer.Ordinal)));
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var content = r[1] == "f" ? Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(root, r[0]))))[..12] : "";
            var links = r[1] == "f" && r[5] != "1" ? byInode[r[4]] : "";
            tree[r[0]] = $"{r[1]} {r[2]} {r[3]} {r[6]} {content} {links}".TrimEnd();
        }
        return tree;
    }
}
