using System.Globalization;
using System.Text.Json;

namespace Dockerless;

/// <summary>
/// A container image you can change: its name and tags, its layers (base first) and its
/// configuration. Load one with <c>Image.LoadAsync</c>, pull one with <c>Registry.PullImageAsync</c>,
/// or start from <see cref="Scratch"/>. A manifest or config that nobody edited keeps its
/// original bytes and digest when written or pushed.
/// </summary>
public sealed partial class Image : IAsyncDisposable
{
    private readonly List<Layer> _layers = [];
    private readonly byte[]? _originalConfig;
    private readonly OriginalManifest? _originalManifest;

    // The edit clock when the image was made: a configuration edited since has a later stamp.
    private readonly long _unchangedAt = EditClock.Now;

    // The original config as this version serializes it, to compare an edited one with; made on the first need.
    private byte[]? _originalReserialized;

    private Image(ImageConfiguration configuration, byte[]? originalConfig, OriginalManifest? originalManifest)
    {
        Configuration = configuration;
        _originalConfig = originalConfig;
        _originalManifest = originalManifest;
    }

    /// <summary>The repository, as <c>docker save</c> names it, optionally with a registry host (<c>127.0.0.1:5000/app</c>); empty when unnamed.</summary>
    public string Name
    {
        get => _name;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _name = value;
        }
    }

    private string _name = "";

    /// <summary>Every tag of the image; <see cref="Tag"/> is the first.</summary>
    public List<string> Tags { get; } = [];

    /// <summary>The image's tag (the first of <see cref="Tags"/>); empty when it has none.</summary>
    public string Tag
    {
        get => FirstTag.Of(Tags);
        set => FirstTag.Set(Tags, value);
    }

    /// <summary>The layers, base first, as in the manifest and <c>rootfs.diff_ids</c>.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The whole configuration document: platform, created, author, history, rootfs.</summary>
    public ImageConfiguration Configuration { get; }

    /// <summary>The runtime configuration: Env, Entrypoint, Cmd, User, WorkingDir, Labels, ...</summary>
    public ContainerConfig Config => Configuration.Config;

    /// <summary>The platform the image is for, with the config's <c>os.version</c> and <c>os.features</c> (Windows images).</summary>
    public Platform Platform
    {
        get => Configuration.Platform;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Configuration.Os = value.Os;
            Configuration.Architecture = value.Architecture;
            Configuration.Variant = value.Variant;
            Configuration.OsVersion = value.OsVersion;
            Configuration.OsFeatures = value.OsFeatures is { } features ? [.. features] : null;
        }
    }

    /// <summary>When the image was created.</summary>
    public DateTimeOffset? Created { get => Configuration.Created; set => Configuration.Created = value; }

    /// <summary>Who created the image.</summary>
    public string? Author { get => Configuration.Author; set => Configuration.Author = value; }

    /// <summary>The image's history, base first; empty when the config has none (and then not written).</summary>
    public IList<HistoryEntry> History => Configuration.History;

    /// <summary>
    /// An image with no layers, to build from nothing. Its <c>created</c> time is
    /// <see cref="DefaultTimestamp"/> (SOURCE_DATE_EPOCH, else the Unix epoch).
    /// </summary>
    public static Image Scratch(string name = "", string tag = "latest", Platform? platform = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tag);
        var image = new Image(new ImageConfiguration { Created = DefaultTimestamp }, null, null) { Name = name };
        if (tag.Length > 0) image.Tag = tag;
        image.Platform = platform ?? Platform.Host;
        return image;
    }

    /// <summary>
    /// The timestamp Dockerless gives what it creates: SOURCE_DATE_EPOCH when set (seconds since
    /// the Unix epoch), else the epoch itself, so that the same inputs give the same digests.
    /// </summary>
    /// <exception cref="FormatException">SOURCE_DATE_EPOCH is set to something else than whole seconds up to year 9999 (the reproducible-builds rule: a malformed value is an error, not ignored).</exception>
    public static DateTimeOffset DefaultTimestamp
    {
        get
        {
            var text = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
            if (string.IsNullOrEmpty(text)) return DateTimeOffset.UnixEpoch;
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new FormatException($"SOURCE_DATE_EPOCH \"{text}\" is not a number of seconds since 1970 (0 to {DateTimeOffset.MaxValue.ToUnixTimeSeconds()})");
        }
    }

    /// <summary>
    /// Puts <paramref name="layer"/> on top and records it in <c>rootfs.diff_ids</c> and history.
    /// Without <paramref name="history"/>, the entry says Dockerless made it at <see cref="DefaultTimestamp"/>.
    /// When the history describes fewer layers than the image has (a base built without full
    /// history), placeholder entries for the undescribed ones go first, so that the new entry is
    /// the new layer's; entries beyond the layers are marked <c>empty_layer</c> (as BuildKit does).
    /// </summary>
    public void AddLayer(Layer layer, HistoryEntry? history = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        AlignHistory();
        _layers.Add(layer);
        Configuration.RootFs.AddDiffId(layer.DiffId);
        History.Add(history ?? new HistoryEntry { Created = DefaultTimestamp, CreatedBy = "dockerless" });
    }

    /// <summary>
    /// Drops the top (newest) layer and the history entry that describes it, if one does: when the
    /// history describes fewer layers than the image has, the top one has none and other entries stay.
    /// </summary>
    public void RemoveLayer()
    {
        if (_layers.Count == 0) throw new InvalidOperationException("the image has no layer to remove");
        DropTopLayerHistory();
        _layers.RemoveAt(_layers.Count - 1);
        Configuration.RootFs.RemoveTopDiffId();
    }

    /// <summary>
    /// Makes an image from a config and layers read from an archive, layout or registry. The
    /// original bytes are kept and written again as long as nobody edits the image.
    /// </summary>
    internal static Image FromParts(byte[] configBytes, IReadOnlyList<Layer> layers, string source, OriginalManifest? manifest = null)
        => FromParts(configBytes, ImageConfiguration.Parse(configBytes, source), layers, source, manifest);

    /// <summary>
    /// The same, for a caller that already parsed <paramref name="configBytes"/> (to read its
    /// diff_ids) into <paramref name="configuration"/>, which the image then owns.
    /// </summary>
    internal static Image FromParts(byte[] configBytes, ImageConfiguration configuration, IReadOnlyList<Layer> layers, string source, OriginalManifest? manifest = null)
    {
        if (configuration.RootFs.DiffIds.Count != layers.Count)
        {
            throw new InvalidImageFormatException(
                $"{source}: the config lists {configuration.RootFs.DiffIds.Count} diff_ids but the manifest has {layers.Count} layers");
        }
        var image = new Image(configuration, configBytes, manifest);
        image._layers.AddRange(layers);
        return image;
    }

    /// <summary>Whether anything of <see cref="Configuration"/> was set or changed since the image was made.</summary>
    internal bool ConfigurationEdited => Configuration.LastEdit > _unchangedAt;

    /// <summary>
    /// The config's bytes: the original ones while the configuration is unedited, without
    /// serializing it; else freshly serialized, or the original ones again when that gives what
    /// the original gives (edits that undid each other, such as AddLayer then RemoveLayer).
    /// </summary>
    internal byte[] GetConfigBytes()
    {
        if (_originalConfig is null) return Serialize(Configuration);
        if (!ConfigurationEdited) return _originalConfig;
        var current = Serialize(Configuration);
        _originalReserialized ??= Serialize(ImageConfiguration.Parse(_originalConfig, "the image's original config"));
        return current.AsSpan().SequenceEqual(_originalReserialized) ? _originalConfig : current;
    }

    /// <summary>
    /// The manifest for <paramref name="configBytes"/> and the current layers: the original bytes
    /// when neither changed, else a new OCI manifest (its layers in the OCI family).
    /// </summary>
    internal OriginalManifest GetManifest(byte[] configBytes)
    {
        var configDigest = Digest.Compute(configBytes);
        if (_originalManifest is { } original
            && original.Manifest.Config.Digest == configDigest
            && original.Manifest.Layers.Select(d => d.Digest).SequenceEqual(_layers.Select(l => l.Digest)))
        {
            return original;
        }
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = configBytes.Length },
            Layers = [.. _layers.Select(l => l.ToDescriptor())],
        };
        return OriginalManifest.From(manifest);
    }

    private static byte[] Serialize(ImageConfiguration configuration)
        => JsonSerializer.SerializeToUtf8Bytes(configuration, ManifestJsonContext.Documents.ImageConfiguration);

    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Makes the image release <paramref name="resource"/> (a registry client its lazy layers read through, a temporary archive) when it is disposed.</summary>
    internal void Owns(IAsyncDisposable resource) => _owned.Add(resource);

    /// <summary>Releases the layers' resources (spooled temporary files, connections).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var layer in _layers) await layer.DisposeAsync().ConfigureAwait(false);
        foreach (var resource in _owned) await resource.DisposeAsync().ConfigureAwait(false);
        _owned.Clear();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(Name.Length == 0 ? "<unnamed>" : Name)}:{Tag} ({Platform}, {_layers.Count} layers)";
}
