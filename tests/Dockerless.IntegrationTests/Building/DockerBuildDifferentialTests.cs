using System.Text.Json;
using System.Text.Json.Nodes;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Building;

/// <summary>
/// Each Dockerfile of the corpus built by us and by the real <c>docker build</c> (dockerd
/// 20.10 with BuildKit, and with the classic builder), from the same busybox base and context:
/// the config fields, the history's shape (BuildKit) and the root filesystems, as <c>umoci unpack</c>
/// makes them from each image, must match. File times are not compared: ours are
/// SOURCE_DATE_EPOCH's, docker's the context's (docs/build.md).
/// </summary>
[Collection(DockerDaemonTests.Name), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DockerBuildDifferentialTests(DockerDaemon daemon, BuildCorpus corpus) : IClassFixture<BuildCorpus>
{
    /// <summary>Debian's docker CLI: it has BuildKit built in (a newer one on PATH needs buildx).</summary>
    private const string Docker = "/usr/bin/docker";

    private static readonly string[] ConfigFields =
        ["Env", "Cmd", "Entrypoint", "User", "WorkingDir", "ExposedPorts", "Volumes", "Labels", "Healthcheck", "StopSignal", "Shell", "OnBuild"];

    /// <summary>
    /// Cases the classic builder cannot build as BuildKit does: <c>--chmod</c> is BuildKit's, it
    /// builds every stage (so the unused stage's RUN fails), it reads no <c>FILE.dockerignore</c>,
    /// <c>RUN --mount</c> is BuildKit's, and its WORKDIR is root's, so USER cannot write there.
    /// </summary>
    private static readonly HashSet<string> BuildKitOnly =
        ["15-copy-chmod", "18-unused-stage-not-built", "25-dockerignore", "34-run-user-and-workdir", "39-run-mount-bind", "40-run-mount-cache-and-tmpfs"];

    /// <summary>The directories a runtime mounts onto, which the classic builder keeps out of a RUN's layer.</summary>
    private static readonly string[] RuntimeMountPoints = ["dev", "proc", "sys"];

    /// <summary>Where the two docker builders disagree, and we follow BuildKit (docs/build.md lists them).</summary>
    private static readonly Dictionary<string, string> ClassicDiffers = new(StringComparer.Ordinal)
    {
        ["05-arg-defaults-and-scope"] = "an ARG after an ENV of its name: BuildKit expands the ARG's value, classic the ENV's",
        ["06-platform-args"] = "classic defines no TARGETPLATFORM, TARGETOS, TARGETARCH",
        ["14-copy-chown-names"] = "classic refuses --chown=:group",
        ["20-healthcheck-options-and-none"] = "HEALTHCHECK NONE: classic keeps the inherited options beside the NONE test",
        ["27-user-and-workdir-owner"] = "WORKDIR: BuildKit makes the directories USER's, classic root's",
        ["33-run-env-and-args"] = "RUN's environment: an ARG after an ENV of its name wins in BuildKit, the ENV in classic",
        ["43-run-into-a-volume"] = "RUN writing into a VOLUME: classic throws the writes away, BuildKit keeps them",
    };

    [Theory]
    [MemberData(nameof(BuildCorpus.Cases), MemberType = typeof(BuildCorpus))]
    public async Task Matches_docker_build_with_BuildKit(string name)
    {
        var (docker, ours) = await BuildBothAsync(name, buildKit: true);
        AssertSameConfig(docker, ours, name, ConfigFields);
        Assert.Equal(HistoryShape(docker), HistoryShape(ours));
        await AssertSameRootfsAsync(docker, ours, name);
    }

    [Theory]
    [MemberData(nameof(BuildCorpus.Cases), MemberType = typeof(BuildCorpus))]
    public async Task Matches_docker_build_with_the_classic_builder(string name)
    {
        if (BuildKitOnly.Contains(name)) return;
        if (ClassicDiffers.TryGetValue(name, out var difference))
        {
            // The difference docs/build.md names must still be there: a match means the docs are wrong.
            var failure = await Record.ExceptionAsync(() => CompareWithClassicAsync(name));
            Assert.True(failure is not null, $"{name}: documented to differ under the classic builder ({difference}), but it matches");
            return;
        }
        await CompareWithClassicAsync(name);
    }

    private async Task CompareWithClassicAsync(string name)
    {
        var (docker, ours) = await BuildBothAsync(name, buildKit: false);
        // The classic builder gives a scratch image no PATH and no working directory; BuildKit and we do.
        var scratch = File.ReadAllText(Path.Combine(BuildCorpus.Folder, name + ".Dockerfile")).Contains("FROM scratch", StringComparison.Ordinal);
        AssertSameConfig(docker, ours, name, scratch ? [.. ConfigFields.Except(["Env", "WorkingDir"])] : ConfigFields);
        await AssertSameRootfsAsync(docker, ours, name, classic: true);
    }

    /// <summary>Builds the case with docker (saved as a docker-archive) and with us (an OCI layout); returns both image directories.</summary>
    private async Task<(Built Docker, Built Ours)> BuildBothAsync(string name, bool buildKit)
    {
        await corpus.LoadBaseAsync(daemon);
        var dir = corpus.NewDirectory();
        var dockerfile = Path.Combine(BuildCorpus.Folder, name + ".Dockerfile");
        var tag = $"dockerless-corpus-{name}:{(buildKit ? "buildkit" : "classic")}";
        var environment = new Dictionary<string, string>(daemon.Environment) { ["DOCKER_BUILDKIT"] = buildKit ? "1" : "0" };
        await Peer.RunAsync(Docker, ["build", "--network=none", "-q", "-f", dockerfile, "--build-arg", $"BASE={BuildCorpus.DaemonBase}", "-t", tag, corpus.Context], environment);
        var saved = Path.Combine(dir, "docker.tar");
        try
        {
            await daemon.RunAsync("save", "-o", saved, tag);
        }
        finally
        {
            await daemon.TryRunAsync("rmi", "-f", tag);
        }
        await Peer.RunAsync("skopeo", ["copy", "-q", $"docker-archive:{saved}", $"oci:{Path.Combine(dir, "docker")}:image"]);
        var options = new BuildOptions { BuildArgs = new Dictionary<string, string> { ["BASE"] = corpus.BaseLocation } };
        await using var image = await DockerfileBuilder.BuildFileAsync(dockerfile, corpus.Context, options);
        image.Tag = "image";
        await image.WriteOciLayoutAsync(Path.Combine(dir, "ours"));
        // The config as docker wrote it: skopeo's OCI conversion drops docker's own fields (Shell, Healthcheck).
        return (new Built(Path.Combine(dir, "docker"), saved), new Built(Path.Combine(dir, "ours"), null));
    }

    private static void AssertSameConfig(Built docker, Built ours, string name, IEnumerable<string> fields)
    {
        var theirs = docker.Config()["config"]!.AsObject();
        var mine = ours.Config()["config"]!.AsObject();
        foreach (var field in fields)
        {
            var expected = Normal(theirs[field]);
            var actual = Normal(mine[field]);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{name}: config.{field}: docker {expected?.ToJsonString() ?? "(none)"}, ours {actual?.ToJsonString() ?? "(none)"}");
        }
    }

    /// <summary>Missing, null, empty lists and empty objects mean the same to a runtime.</summary>
    private static JsonNode? Normal(JsonNode? node) => node switch
    {
        JsonArray { Count: 0 } or JsonObject { Count: 0 } => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0 => null,
        _ => node,
    };

    /// <summary>Each history entry's <c>created_by</c> and whether it is an empty layer.</summary>
    private static List<string> HistoryShape(Built image) =>
        [.. image.Config()["history"]!.AsArray().Select(h => $"{h!["created_by"]?.GetValue<string>()} | empty={h["empty_layer"]?.GetValue<bool>() ?? false}")];

    private static async Task AssertSameRootfsAsync(Built docker, Built ours, string name, bool classic = false)
    {
        var theirs = WithoutFileTimes(await UnpackAsync(docker));
        var mine = WithoutFileTimes(await UnpackAsync(ours));
        if (classic)
        {
            // The classic builder's RUN keeps the mount points its runtime made out of the layer;
            // BuildKit's, and ours, keep them (docs/build.md).
            foreach (var point in RuntimeMountPoints.Where(p => !theirs.ContainsKey(p) && !mine.Keys.Any(k => k.StartsWith(p + "/", StringComparison.Ordinal)))) mine.Remove(point);
        }
        var differences = TreeSnapshot.Differences(theirs, mine, "docker build", "dockerless build");
        Assert.True(differences.Count == 0, $"{name}: the root filesystems differ:\n{string.Join('\n', differences)}");
    }

    private static async Task<Dictionary<string, TreeNode>> UnpackAsync(Built image)
    {
        var bundle = image.Layout + "-bundle";
        await Peer.RunAsync("umoci", ["unpack", "--image", $"{image.Layout}:image", bundle]);
        return await TreeSnapshot.TakeAsync(Path.Combine(bundle, "rootfs"));
    }

    private static Dictionary<string, TreeNode> WithoutFileTimes(Dictionary<string, TreeNode> tree) =>
        tree.ToDictionary(p => p.Key, p => p.Value with { MTime = "" }, StringComparer.Ordinal);

    /// <summary>An image in an OCI layout under the tag <c>image</c>.</summary>
    private sealed record Built(string Layout, string? DockerArchive)
    {
        public JsonNode Config()
        {
            if (DockerArchive is not null) return FromArchive(DockerArchive);
            var index = JsonNode.Parse(File.ReadAllText(Path.Combine(Layout, "index.json")))!;
            var manifest = JsonNode.Parse(File.ReadAllText(Blob(index["manifests"]![0]!["digest"]!.GetValue<string>())))!;
            return JsonNode.Parse(File.ReadAllText(Blob(manifest["config"]!["digest"]!.GetValue<string>())))!;
        }

        private static JsonNode FromArchive(string archive)
        {
            using var reader = new System.Formats.Tar.TarReader(File.OpenRead(archive));
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            while (reader.GetNextEntry() is { } entry)
            {
                if (!entry.Name.EndsWith(".json", StringComparison.Ordinal) || entry.DataStream is null) continue;
                using var copy = new MemoryStream();
                entry.DataStream.CopyTo(copy);
                files[entry.Name] = copy.ToArray();
            }
            var manifest = JsonNode.Parse(files["manifest.json"])!;
            return JsonNode.Parse(files[manifest[0]!["Config"]!.GetValue<string>()])!;
        }

        private string Blob(string digest) => Path.Combine(Layout, "blobs", digest.Split(':')[0], digest.Split(':')[1]);
    }
}
