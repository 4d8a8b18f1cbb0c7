using System.Text;

namespace Dockerless.Tests.Images;

/// <summary>
/// Docker, podman and BuildKit pair the history entries without empty_layer with the layers from
/// the bottom up; adding or removing a layer must keep that pairing when the history is partial.
/// </summary>
public class HistoryAlignmentTests
{
    private static readonly HistoryEntry Base = new() { CreatedBy = "base" };

    // An image of `layers` layers (a0.txt, a1.txt, ...) loaded from a config with `history`.
    private static async Task<(Image Image, byte[] Config)> LoadAsync(int layers, string history)
    {
        var built = new List<Layer>();
        for (var i = 0; i < layers; i++) built.Add(await Layer.FromContentsAsync(new Dictionary<string, byte[]> { [$"a{i}.txt"] = [(byte)i] }));
        var diffIds = string.Join(",", built.Select(l => $"\"{l.DiffId}\""));
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[{{diffIds}}]}{{history}}}""");
        return (Image.FromParts(config, built, "test"), config);
    }

    private static List<string?> Described(Image image) => [.. image.History.Where(h => !h.EmptyLayer).Select(h => h.CreatedBy)];

    private static Task<BuiltLayer> NewLayerAsync() => Layer.FromContentsAsync(new Dictionary<string, byte[]> { ["c.txt"] = [9] });

    [Fact]
    public async Task Removing_a_layer_the_history_does_not_describe_keeps_the_base_entry()
    {
        var (image, _) = await LoadAsync(2, ""","history":[{"created_by":"base"}]""");
        image.RemoveLayer();
        Assert.Single(image.Layers);
        Assert.Equal(["base"], Described(image));
    }

    [Fact]
    public async Task Adding_to_a_partial_history_pads_it_so_the_new_entry_is_the_new_layers()
    {
        var (image, _) = await LoadAsync(2, ""","history":[{"created_by":"base"},{"created_by":"ENV","empty_layer":true}]""");
        image.AddLayer(await NewLayerAsync(), new HistoryEntry { CreatedBy = "c" });
        Assert.Equal(3, image.Layers.Count);
        Assert.Equal(["base", null, "c"], Described(image));
        Assert.Equal(Image.PlaceholderComment, image.History[2].Comment);
        Assert.Equal("ENV", image.History[1].CreatedBy);
    }

    [Fact]
    public async Task Adding_to_an_image_without_history_describes_every_layer()
    {
        var (image, _) = await LoadAsync(2, "");
        image.AddLayer(await NewLayerAsync(), new HistoryEntry { CreatedBy = "c" });
        Assert.Equal([null, null, "c"], Described(image));
    }

    [Fact]
    public async Task Adding_then_removing_on_a_partial_history_gives_the_original_config_back()
    {
        var (image, config) = await LoadAsync(2, ""","history":[{"created_by":"base"}]""");
        image.AddLayer(await NewLayerAsync(), new HistoryEntry { CreatedBy = "c" });
        image.AddLayer(await NewLayerAsync(), new HistoryEntry { CreatedBy = "d" });
        image.RemoveLayer();
        Assert.Equal(["base", null, "c"], Described(image));
        image.RemoveLayer();
        Assert.Same(config, image.GetConfigBytes());
    }

    [Fact]
    public async Task Entries_beyond_the_layers_become_empty_layer_before_one_is_added()
    {
        var (image, _) = await LoadAsync(1, ""","history":[{"created_by":"base"},{"created_by":"stray"}]""");
        image.AddLayer(await NewLayerAsync(), new HistoryEntry { CreatedBy = "c" });
        Assert.Equal(["base", "c"], Described(image));
        Assert.True(image.History[1].EmptyLayer);
    }

    [Fact]
    public async Task With_one_entry_per_layer_removing_drops_the_top_entry_and_keeps_later_empty_ones()
    {
        var image = Image.Scratch();
        image.AddLayer(await NewLayerAsync(), Base);
        image.AddLayer(await NewLayerAsync(), new HistoryEntry { CreatedBy = "c" });
        image.History.Add(new HistoryEntry { CreatedBy = "CMD", EmptyLayer = true });
        image.RemoveLayer();
        Assert.Equal(["base", "CMD"], image.History.Select(h => h.CreatedBy));
    }
}
