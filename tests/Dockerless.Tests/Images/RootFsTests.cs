using System.Text;

namespace Dockerless.Tests.Images;

/// <summary><c>rootfs.diff_ids</c> follows <see cref="Image.Layers"/> and nothing else.</summary>
public class RootFsTests
{
    [Fact]
    public void Diff_ids_cannot_be_changed_through_the_list_they_are_read_from()
    {
        var image = Image.Scratch();
        var diffIds = Assert.IsAssignableFrom<IList<Digest>>(image.Configuration.RootFs.DiffIds);
        Assert.True(diffIds.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => diffIds.Add(Digest.Compute([])));
        Assert.Empty(image.Configuration.RootFs.DiffIds);
    }

    [Fact]
    public async Task Adding_and_removing_layers_keeps_the_diff_ids_in_step()
    {
        var image = Image.Scratch();
        image.AddLayer(await Layer.FromContentsAsync(new Dictionary<string, byte[]> { ["a"] = [1] }));
        image.AddLayer(await Layer.FromContentsAsync(new Dictionary<string, byte[]> { ["b"] = [2] }));
        Assert.Equal(image.Layers.Select(l => l.DiffId), image.Configuration.RootFs.DiffIds);
        image.RemoveLayer();
        Assert.Equal(image.Layers.Select(l => l.DiffId), image.Configuration.RootFs.DiffIds);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{"type":"layers","diff_ids":null}""")]
    public void A_null_rootfs_or_diff_ids_is_a_format_error(string rootfs)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","rootfs":{{rootfs}}}""");
        var e = Assert.Throws<InvalidImageFormatException>(() => Image.FromParts(config, [], "base.tar"));
        Assert.Contains("base.tar", e.Message, StringComparison.Ordinal);
        Assert.Contains("rootfs", e.Message, StringComparison.Ordinal);
    }
}
