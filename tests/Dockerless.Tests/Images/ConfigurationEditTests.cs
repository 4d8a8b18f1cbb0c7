using System.Text;
using System.Text.Json;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Images;

/// <summary>
/// Edits of an image's configuration are tracked: an unedited one gives its original bytes without
/// being serialized, and an edit through any member, setter or collection, is seen.
/// </summary>
public class ConfigurationEditTests
{
    // Every member holds something, so that each edit below changes the JSON.
    private const string Config = """
        {"architecture":"arm64","variant":"v8","os":"linux","os.version":"1","os.features":["f"],"author":"me","created":"2024-01-02T03:04:05.123456789Z",
         "config":{"User":"1:1","ExposedPorts":{"80/tcp":{}},"Env":["PATH=/bin"],"Entrypoint":["/bin/sh"],"Cmd":["-c","x"],
          "Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Timeout":1000000050,"StartPeriod":1,"StartInterval":5,"Retries":3,"X":1},
          "Volumes":{"/data":{}},"WorkingDir":"/app","Labels":{"a":"1"},"StopSignal":"SIGTERM","Shell":["/bin/bash","-c"],"OnBuild":["RUN x"],"Hostname":"h"},
         "rootfs":{"type":"layers","diff_ids":[],"x":1},
         "history":[{"created":"2024-01-02T03:04:05Z","created_by":"ADD","author":"a","comment":"c","empty_layer":true,"y":2}],
         "docker_version":"20"}
        """;

    private static readonly JsonElement True = JsonDocument.Parse("true").RootElement;

    private static (Image Image, byte[] Bytes) Load(string config = Config)
    {
        var bytes = Encoding.UTF8.GetBytes(config);
        return (Image.FromParts(bytes, [], "test"), bytes);
    }

    private static readonly Dictionary<string, Action<Image>> Edits = new()
    {
        ["Created"] = i => i.Configuration.Created = DateTimeOffset.UnixEpoch,
        ["Author"] = i => i.Configuration.Author = "you",
        ["Architecture"] = i => i.Configuration.Architecture = "amd64",
        ["Variant"] = i => i.Configuration.Variant = null,
        ["Os"] = i => i.Configuration.Os = "windows",
        ["OsVersion"] = i => i.Configuration.OsVersion = "2",
        ["OsFeatures set"] = i => i.Configuration.OsFeatures = null,
        ["OsFeatures add"] = i => i.Configuration.OsFeatures!.Add("g"),
        ["Config set"] = i => i.Configuration.Config = new ContainerConfig(),
        ["History set"] = i => i.Configuration.History = [],
        ["History add"] = i => i.History.Add(new HistoryEntry { CreatedBy = "RUN" }),
        ["History remove"] = i => i.History.RemoveAt(0),
        ["History replace"] = i => i.History[0] = new HistoryEntry(),
        ["ExtensionData set"] = i => i.Configuration.ExtensionData = null,
        ["ExtensionData remove"] = i => i.Configuration.ExtensionData!.Remove("docker_version"),
        ["Platform"] = i => i.Platform = Platform.Parse("linux/amd64"),
        ["AddLayer"] = i => i.AddLayer(RawTarLayer.Of(RawTarLayer.File("a", "a"))),

        ["User"] = i => i.Config.User = "2",
        ["ExposedPorts set"] = i => i.Config.ExposedPorts = null,
        ["ExposedPorts add"] = i => i.Config.ExposedPorts.Add("53/udp"),
        ["ExposedPorts remove"] = i => i.Config.ExposedPorts.Remove("80/tcp"),
        ["ExposedPorts clear"] = i => i.Config.ExposedPorts.Clear(),
        ["ExposedPorts union"] = i => i.Config.ExposedPorts.UnionWith(["53/udp"]),
        ["ExposedPorts intersect"] = i => i.Config.ExposedPorts.IntersectWith([]),
        ["ExposedPorts except"] = i => i.Config.ExposedPorts.ExceptWith(["80/tcp"]),
        ["ExposedPorts symmetric except"] = i => i.Config.ExposedPorts.SymmetricExceptWith(["80/tcp"]),
        ["Env set"] = i => i.Config.Env = ["A=1"],
        ["Env add"] = i => i.Config.Env.Add("A=1"),
        ["Env insert"] = i => i.Config.Env.Insert(0, "A=1"),
        ["Env replace"] = i => i.Config.Env[0] = "PATH=/usr/bin",
        ["Env remove"] = i => i.Config.Env.Remove("PATH=/bin"),
        ["Env remove at"] = i => i.Config.Env.RemoveAt(0),
        ["Env clear"] = i => i.Config.Env.Clear(),
        ["Entrypoint set"] = i => i.Config.Entrypoint = ["/bin/bash", "-c"],
        ["Entrypoint add"] = i => i.Config.Entrypoint!.Add("-c"),
        ["Cmd set"] = i => i.Config.Cmd = null,
        ["Cmd add"] = i => i.Config.Cmd!.Add("y"),
        ["Volumes set"] = i => i.Config.Volumes = new HashSet<string> { "/logs" },
        ["Volumes add"] = i => i.Config.Volumes.Add("/logs"),
        ["WorkingDir"] = i => i.Config.WorkingDir = "/",
        ["Labels set"] = i => i.Config.Labels = new Dictionary<string, string> { ["b"] = "2" },
        ["Labels index"] = i => i.Config.Labels["a"] = "2",
        ["Labels add"] = i => i.Config.Labels.Add("b", "2"),
        ["Labels add pair"] = i => i.Config.Labels.Add(new KeyValuePair<string, string>("b", "2")),
        ["Labels remove"] = i => i.Config.Labels.Remove("a"),
        ["Labels remove pair"] = i => i.Config.Labels.Remove(new KeyValuePair<string, string>("a", "1")),
        ["Labels clear"] = i => i.Config.Labels.Clear(),
        ["StopSignal"] = i => i.Config.StopSignal = "SIGINT",
        ["Healthcheck set"] = i => i.Config.Healthcheck = null,
        ["Shell set"] = i => i.Config.Shell = null,
        ["Shell add"] = i => i.Config.Shell!.Add("-e"),
        ["OnBuild set"] = i => i.Config.OnBuild = [],
        ["OnBuild add"] = i => i.Config.OnBuild!.Add("RUN y"),
        ["Config ExtensionData set"] = i => i.Config.ExtensionData = null,
        ["Config ExtensionData add"] = i => i.Config.ExtensionData!["ArgsEscaped"] = True,

        ["Healthcheck Test set"] = i => i.Config.Healthcheck!.Test = ["NONE"],
        ["Healthcheck Test add"] = i => i.Config.Healthcheck!.Test!.Add("-v"),
        ["Healthcheck Interval"] = i => i.Config.Healthcheck!.Interval = TimeSpan.FromSeconds(1),
        ["Healthcheck Timeout"] = i => i.Config.Healthcheck!.Timeout = null,
        ["Healthcheck StartPeriod"] = i => i.Config.Healthcheck!.StartPeriod = TimeSpan.FromSeconds(1),
        ["Healthcheck StartInterval"] = i => i.Config.Healthcheck!.StartInterval = TimeSpan.FromSeconds(1),
        ["Healthcheck Retries"] = i => i.Config.Healthcheck!.Retries = 1,
        ["Healthcheck ExtensionData set"] = i => i.Config.Healthcheck!.ExtensionData = null,
        ["Healthcheck ExtensionData remove"] = i => i.Config.Healthcheck!.ExtensionData!.Remove("X"),

        ["RootFs Type"] = i => i.Configuration.RootFs.Type = "other",
        ["RootFs ExtensionData set"] = i => i.Configuration.RootFs.ExtensionData = null,
        ["RootFs ExtensionData add"] = i => i.Configuration.RootFs.ExtensionData!.Add("z", True),

        ["HistoryEntry Created"] = i => i.History[0].Created = DateTimeOffset.UnixEpoch,
        ["HistoryEntry CreatedBy"] = i => i.History[0].CreatedBy = "COPY",
        ["HistoryEntry Author"] = i => i.History[0].Author = null,
        ["HistoryEntry Comment"] = i => i.History[0].Comment = "d",
        ["HistoryEntry EmptyLayer"] = i => i.History[0].EmptyLayer = false,
        ["HistoryEntry ExtensionData set"] = i => i.History[0].ExtensionData = null,
        ["HistoryEntry ExtensionData clear"] = i => i.History[0].ExtensionData!.Clear(),
    };

    public static TheoryData<string> EditNames => [.. Edits.Keys];

    [Theory]
    [MemberData(nameof(EditNames))]
    public void An_edit_through_any_member_is_seen(string edit)
    {
        var (image, bytes) = Load();
        Assert.False(image.ConfigurationEdited);
        Edits[edit](image);
        Assert.True(image.ConfigurationEdited);
        Assert.NotEqual(bytes, image.GetConfigBytes());
    }

    /// <summary>
    /// Reading every member leaves the configuration unedited, and its bytes then cost no
    /// serialization: the call allocates a few bytes where serializing this config allocates more
    /// than its size.
    /// </summary>
    [Fact]
    public void An_unedited_config_gives_its_original_bytes_without_serializing()
    {
        var env = string.Join(",", Enumerable.Range(0, 5000).Select(n => $"\"VARIABLE_{n}=some value\""));
        var (image, bytes) = Load(Config.Replace("\"Env\":[\"PATH=/bin\"]", $"\"Env\":[{env}]", StringComparison.Ordinal));
        ReadEveryMember(image);
        Assert.False(image.ConfigurationEdited);
        Assert.Same(bytes, image.GetConfigBytes());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = image.GetConfigBytes();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(bytes, again);
        Assert.InRange(allocated, 0, 1024);
        Assert.True(bytes.Length > 100_000);
    }

    /// <summary>Setting a value counts as an edit even when it is the value already there; the bytes stay the original ones.</summary>
    [Fact]
    public void Setting_the_value_already_there_is_an_edit_that_keeps_the_original_bytes()
    {
        var (image, bytes) = Load();
        image.Config.User = image.Config.User;
        image.Config.Labels["a"] = "1";
        Assert.True(image.ConfigurationEdited);
        Assert.Same(bytes, image.GetConfigBytes());
    }

    /// <summary>A list set keeps being the config's: changes made to it afterwards are written.</summary>
    [Fact]
    public void A_list_set_is_written_as_it_is_when_written()
    {
        var (image, _) = Load();
        var cmd = new List<string> { "a" };
        image.Config.Cmd = cmd;
        Assert.Contains("\"Cmd\":[\"a\"]", Encoding.UTF8.GetString(image.GetConfigBytes()), StringComparison.Ordinal);
        cmd.Add("b");
        Assert.Equal(["a", "b"], image.Config.Cmd);
        Assert.Contains("\"Cmd\":[\"a\",\"b\"]", Encoding.UTF8.GetString(image.GetConfigBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_history_entry_shared_by_two_images_is_an_edit_of_both()
    {
        var (first, _) = Load();
        var (second, secondBytes) = Load();
        second.History.Add(first.History[0]);
        var shared = first.History[0];
        Assert.NotSame(secondBytes, second.GetConfigBytes());
        Assert.False(first.ConfigurationEdited);
        shared.Comment = "shared";
        Assert.True(first.ConfigurationEdited);
        Assert.Contains("\"comment\":\"shared\"", Encoding.UTF8.GetString(second.GetConfigBytes()), StringComparison.Ordinal);
    }

    private static void ReadEveryMember(Image image)
    {
        var c = image.Configuration;
        var values = new List<object?>
        {
            c.Created, c.Author, c.Architecture, c.Variant, c.Os, c.OsVersion, image.Platform, image.Created, image.Author,
            c.RootFs.Type, c.RootFs.DiffIds.Count, c.RootFs.ExtensionData?.Count, c.ExtensionData?["docker_version"].GetString(),
            c.Config.User, c.Config.WorkingDir, c.Config.StopSignal, c.Config.ExtensionData?.Count,
            c.Config.Healthcheck?.Interval, c.Config.Healthcheck?.Timeout, c.Config.Healthcheck?.StartPeriod,
            c.Config.Healthcheck?.StartInterval, c.Config.Healthcheck?.Retries, c.Config.Healthcheck?.ExtensionData?.Count,
        };
        values.AddRange(c.OsFeatures ?? []);
        values.AddRange(c.Config.ExposedPorts);
        values.AddRange(c.Config.Env);
        values.AddRange(c.Config.Entrypoint ?? []);
        values.AddRange(c.Config.Cmd ?? []);
        values.AddRange(c.Config.Volumes);
        values.AddRange(c.Config.Labels.Select(l => l.Value));
        values.AddRange(c.Config.Shell ?? []);
        values.AddRange(c.Config.OnBuild ?? []);
        values.AddRange(c.Config.Healthcheck?.Test ?? []);
        values.AddRange(image.History.Select(h => (object?)(h.Created, h.CreatedBy, h.Author, h.Comment, h.EmptyLayer, h.ExtensionData?.Count)));
        Assert.NotEmpty(values);
    }
}
